pub use polars; pub use calamine;
