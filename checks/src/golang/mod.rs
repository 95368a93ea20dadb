//! What Go itself does with a project: how `go build` is invoked ([`build_plan`]), what it
//! prints when it fails ([`build_output`]), which packages a build compiles ([`deps`]), how a report runs go on an untrusted tree ([`sandbox`]), and
//! reading Go source ([`lexer`], [`signals`]); where a build spends its time ([`build_trace`], [`tool_watch`]).

pub mod build_output;
pub mod build_plan;
pub mod build_trace;
pub mod deps;
pub mod duration;
pub mod filepath;
pub mod lexer;
pub mod missing_code;
pub mod sandbox;
pub mod signals;
pub mod source;
pub mod tool_watch;
