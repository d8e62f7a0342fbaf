//! 1:1 matching (TODO: matcher helper).
