//! Graph store on sled.
