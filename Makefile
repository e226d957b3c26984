# pg_complaint — PGXS build, plus the project's orchestration targets.
#
#   make            build the extension (needs postgresql-server-dev-15)
#   make install    install it into the PostgreSQL found by pg_config
#   make check      install what is missing, build, run every suite on a throwaway cluster
#   make demo       the same set-up, then a guided tour of the product
#   make bench      benchmarks against the PL/pgSQL peer (not part of check)
#
# check, demo and bench are driven by scripts/ and must work before the PostgreSQL
# development files are installed, so PGXS is only included for the other goals.

EXTENSION   = pg_complaint
EXTVERSION  = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(EXTENSION).control)

ORCHESTRATION = check demo bench deps
ifneq ($(filter $(ORCHESTRATION),$(MAKECMDGOALS)),)

.PHONY: $(ORCHESTRATION)
check:
	@scripts/check.sh
demo:
	@scripts/demo.sh
bench:
	@scripts/bench.sh
deps:
	@scripts/deps.sh

else

MODULE_big  = $(EXTENSION)
OBJS        = $(patsubst %.c,%.o,$(sort $(wildcard extension/src/*.c)))
PGFILEDESC  = "pg_complaint - complaint-handling rules inside PostgreSQL"

# The install script of the current version is generated from one file per object
# group (extension/sql/NNN_*.sql, concatenated in name order); released upgrade steps
# are kept as written.
SQL_SOURCES = $(sort $(wildcard extension/sql/*.sql))
DATA_built  = extension/$(EXTENSION)--$(EXTVERSION).sql
DATA        = $(wildcard extension/$(EXTENSION)--*--*.sql)

# Our own files compile warning-free with -Wall -Wextra; -Werror keeps them so.
# PostgreSQL's headers are included as system headers: -Wextra is for our code.
PG_CONFIG ?= pg_config
PG_CPPFLAGS = -I$(srcdir)/extension/include -isystem $(shell $(PG_CONFIG) --includedir-server)
PG_CFLAGS   = -Wall -Wextra -Werror

# pg_regress: small topic files, setup first.
REGRESS      = setup calendar calendar_dst calendar_errors calendar_property calendar_security \
               complaint complaint_workflow complaint_errors complaint_roles \
               classify_presets classify_custom classify_errors \
               deadlines_presets escalations deadlines_errors \
               attach attach_keys attach_errors attach_security \
               bi_views bi_reports bi_roles
REGRESS_OPTS = --inputdir=. --outputdir=tests/output_regress
# isolation tester: specs live in tests/specs, expected output in tests/expected.
ISOLATION      = calendar_cache complaint_refs complaint_transitions classify_similar config_guards \
                 escalations_concurrent attach_concurrent
ISOLATION_OPTS = --inputdir=tests --outputdir=tests/output_iso --load-extension=$(EXTENSION)

EXTRA_CLEAN = tests/output_regress tests/output_iso $(DATA_built) $(PGC_BIN) $(PGC_OBJS)

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# pgc, the command-line companion (tools/pgc/), a client program on libpq. PGXS cannot
# build a PROGRAM next to MODULE_big, so it has rules of its own; it is built by `make`,
# installed into pg_config --bindir by `make install` (DESTDIR honoured), removed by
# `make clean`.
PGC_BIN     = tools/pgc/pgc
PGC_SRCS    = $(sort $(wildcard tools/pgc/*.c))
PGC_OBJS    = $(PGC_SRCS:.c=.o)
PGC_CFLAGS  = -O2 -g -Wall -Wextra -Werror -I$(shell $(PG_CONFIG) --includedir) \
              -DPGC_VERSION='"$(EXTVERSION)"'
PGC_LDFLAGS = -L$(shell $(PG_CONFIG) --libdir) -Wl,-rpath,$(shell $(PG_CONFIG) --libdir)

all: $(PGC_BIN)
$(PGC_BIN): $(PGC_OBJS)
	$(CC) -o $@ $^ $(PGC_LDFLAGS) -lpq
tools/pgc/%.o: tools/pgc/%.c tools/pgc/pgc.h
	$(CC) $(PGC_CFLAGS) -c -o $@ $<
install: install-pgc
.PHONY: install-pgc
install-pgc: $(PGC_BIN)
	$(MKDIR_P) '$(DESTDIR)$(bindir)'
	$(INSTALL_PROGRAM) $(PGC_BIN) '$(DESTDIR)$(bindir)/pgc'

# plain "make installcheck" writes its results where the suites above do
installcheck: | tests/output_regress tests/output_iso
tests/output_regress tests/output_iso:
	@mkdir -p $@

# The suites one by one, so that scripts/check.sh can run and count each of them.
.PHONY: installcheck-regress installcheck-isolation
installcheck-regress: submake $(REGRESS_PREP)
	@mkdir -p tests/output_regress
	$(pg_regress_installcheck) $(REGRESS_OPTS) $(REGRESS)
installcheck-isolation: submake $(REGRESS_PREP)
	@mkdir -p tests/output_iso
	$(pg_isolation_regress_installcheck) $(ISOLATION_OPTS) $(ISOLATION)

$(DATA_built): $(SQL_SOURCES) $(EXTENSION).control
	@{ printf -- '-- pg_complaint %s install script: GENERATED from extension/sql/*.sql by make; edit those.\n' '$(EXTVERSION)'; \
	   printf '%s\n' '\echo Use "CREATE EXTENSION pg_complaint" to load this file. \quit'; \
	   for f in $(SQL_SOURCES); do printf '\n-- ---- %s\n' "$$f"; cat "$$f"; done; } > $@

endif
