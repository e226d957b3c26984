-- Enums of the complaint domain (CONTRACT section 2), used by policies and complaints.

CREATE TYPE complaint.channel AS ENUM (
    'phone', 'email', 'web', 'forum', 'letter', 'in_person', 'hotline', 'review',
    'sales_feedback', 'regulator', 'other');
COMMENT ON TYPE complaint.channel IS 'how a complaint reached the desk';

CREATE TYPE complaint.status AS ENUM (
    'new', 'acknowledged', 'assigned', 'investigating', 'pending_info', 'proposed',
    'escalated', 'external_review', 'accepted', 'follow_up', 'closed', 'rejected');
COMMENT ON TYPE complaint.status IS 'workflow state of a complaint; transitions are enforced by the complaint trigger';

CREATE TYPE complaint.validity AS ENUM ('effective', 'invalid', 'suggestion');
COMMENT ON TYPE complaint.validity IS 'ruling on a complaint: effective (有效), invalid (无效) or a suggestion (意见建议)';
