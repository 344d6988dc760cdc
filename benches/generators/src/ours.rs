//! Ours: `#[resumable::coroutine]` and `generator!` on every workload.
use resumable::{generator, Coroutine, CoroutineState};

use crate::workloads::*;
use crate::Case;
