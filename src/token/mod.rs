//! Sealed bag tokens: JWE compact, `dir` + `A256GCM` (TODO: token helper).
