//! inotify-instances: real inotify instances held by this test process, counted from
//! /proc/PID/fdinfo the way the kernel charges them against max_user_instances.

mod common;

use common::*;
use nix::sys::inotify::{InitFlags, Inotify};

#[test]
fn real_inotify_instances_are_counted_and_their_holder_named() {
    // Enough instances that this test process is surely among the top five holders.
    const N: u64 = 60;
    let held: Vec<Inotify> = (0..N)
        .map(|_| Inotify::init(InitFlags::IN_CLOEXEC).unwrap())
        .collect();
    let (_, r) = json_report(&fixture("stdlib-healthy"), &["--only", "inotify-instances"]);
    let c = check(&r, "inotify-instances");
    let summary = c["summary"].as_str().unwrap();
    assert!(summary.contains("instances in use"), "{summary}");
    let ev = &c["evidence"];
    let me = std::process::id() as u64;
    let mine = ev["top_holders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|h| h["pid"] == me)
        .unwrap_or_else(|| panic!("this test holds {N} instances: {ev:#}"));
    assert_eq!(mine["instances"], N, "{ev:#}");
    assert!(ev["used"].as_u64().unwrap() >= N, "{ev:#}");

    // Closing them is seen by the next report.
    drop(held);
    let (_, r) = json_report(&fixture("stdlib-healthy"), &["--only", "inotify-instances"]);
    let ev = &check(&r, "inotify-instances")["evidence"];
    assert!(
        !ev["top_holders"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["pid"] == me),
        "{ev:#}"
    );
}
