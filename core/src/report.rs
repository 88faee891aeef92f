//! Progress reports against the plan's targets.
