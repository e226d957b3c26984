// BiClient.java — what a BI tool sees through JDBC (tests/shell/bi_clients.sh): connects as a
// complaint_reader login, lists the views of schema complaint and their columns through
// DatabaseMetaData, checks plain types and comments, reads every view, and checks that the
// tables stay closed. Prints one "ok"/"not ok" line per check and "N passed, N failed".
// Run with the JDK's single-file launcher: java -cp postgresql.jar BiClient.java URL USER
import java.sql.*;
import java.util.*;

public class BiClient {
    static int passed = 0, failed = 0;

    static void check(boolean ok, String what) {
        if (ok) passed++; else failed++;
        System.out.println((ok ? "ok - " : "not ok - ") + what);
    }

    public static void main(String[] args) throws Exception {
        Set<String> plain = new HashSet<>(Arrays.asList("int8", "text", "numeric", "date", "timestamptz", "bool"));
        try (Connection c = DriverManager.getConnection(args[0], args[1], "")) {
            DatabaseMetaData md = c.getMetaData();
            System.out.println("# driver " + md.getDriverName() + " " + md.getDriverVersion()
                               + ", server " + md.getDatabaseProductVersion());
            List<String> views = new ArrayList<>();
            try (ResultSet rs = md.getTables(null, "complaint", "v\\_%", new String[] {"VIEW"})) {
                while (rs.next()) {
                    String v = rs.getString("TABLE_NAME");
                    views.add(v);
                    String remarks = rs.getString("REMARKS");
                    check(remarks != null && !remarks.isEmpty(), "view " + v + " has a comment (REMARKS)");
                }
            }
            Collections.sort(views);
            System.out.println("# views: " + String.join(", ", views));
            check(views.containsAll(Arrays.asList("v_complaints", "v_overdue", "v_daily_report", "v_semimonthly_report",
                                                  "v_monthly_report", "v_handler_scorecard", "v_repeat_complaints",
                                                  "v_penalties", "v_hotspots")),
                  "the nine views are listed");
            for (String v : views) {
                int cols = 0, bad = 0, nocomment = 0;
                Map<String, Integer> types = new TreeMap<>();
                try (ResultSet rs = md.getColumns(null, "complaint", v, "%")) {
                    while (rs.next()) {
                        cols++;
                        String t = rs.getString("TYPE_NAME");
                        types.merge(t + "/" + JDBCType.valueOf(rs.getInt("DATA_TYPE")).getName(), 1, Integer::sum);
                        if (!plain.contains(t)) {
                            bad++;
                            System.out.println("# " + v + "." + rs.getString("COLUMN_NAME") + " has type " + t);
                        }
                        String r = rs.getString("REMARKS");
                        if (r == null || r.isEmpty()) {
                            nocomment++;
                            System.out.println("# " + v + "." + rs.getString("COLUMN_NAME") + " has no comment");
                        }
                    }
                }
                System.out.println("# " + v + ": " + cols + " columns " + types);
                check(cols > 0 && bad == 0, v + ": " + cols + " columns, all of plain types");
                check(cols > 0 && nocomment == 0, v + ": every column has a comment");
                try (Statement st = c.createStatement();
                     ResultSet rs = st.executeQuery("SELECT * FROM complaint." + v + " LIMIT 20")) {
                    ResultSetMetaData rm = rs.getMetaData();
                    int rows = 0;
                    while (rs.next()) {
                        rows++;
                        for (int i = 1; i <= rm.getColumnCount(); i++)
                            rs.getObject(i);
                    }
                    check(rm.getColumnCount() == cols, v + ": read " + rows + " rows of " + rm.getColumnCount() + " columns");
                } catch (SQLException e) {
                    check(false, v + ": read: " + e.getMessage());
                }
            }
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT contact, complainant FROM complaint.v_complaints WHERE contact IS NOT NULL LIMIT 1")) {
                check(rs.next() && rs.getString(1).contains("******") && rs.getString(2).startsWith("P-"),
                      "contact masked and complainant a pseudonym for complaint_reader");
            }
            try (Statement st = c.createStatement()) {
                st.executeQuery("SELECT count(*) FROM complaint.complaint");
                check(false, "the table complaint.complaint is closed to complaint_reader");
            } catch (SQLException e) {
                check("42501".equals(e.getSQLState()), "the table complaint.complaint is closed to complaint_reader (" + e.getSQLState() + ")");
            }
        }
        System.out.println(passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }
}
