//! One module per subcommand: the wiring from the command line to the work, and the printing.
//! The work itself lives in `report`, `fix` (the executor), `run` and `verify`.

pub mod catalog;
pub mod doctor;
pub mod fix;
pub mod verify;
