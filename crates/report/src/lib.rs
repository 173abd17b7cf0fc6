//! Outputs. Every renderer is a pure function from records to text or bytes: no clock, no
//! hash-map order, so the same inputs give byte-identical files.

pub mod csv;
pub mod findings;
pub mod text;
