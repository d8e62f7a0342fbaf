//! Minutiae extraction (TODO: extraction helper).
