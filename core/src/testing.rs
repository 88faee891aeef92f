//! Running a pack's own test cases.
