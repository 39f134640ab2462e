//! Tests of the search stage.
