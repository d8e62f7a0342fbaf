//! Compact, versioned binary form of templates and enrollments (TODO: token helper).
