//! What the real binary refuses outside development.

// A test binary: its helpers may panic on what the test does not expect.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::Command;

fn inservice(data: &std::path::Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_inservice"));
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("INSERVICE_DATA_DIR", data)
        .env("INSERVICE_LOG", "warn");
    command
}

fn scratch() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("inservice-safety-{}", uuid_like()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn uuid_like() -> String {
    format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    )
}

#[test]
fn demo_data_is_refused_in_production() {
    let data = scratch();
    let output = inservice(&data)
        .env("INSERVICE_ENV", "production")
        .env(
            "INSERVICE_JWT_SECRET",
            "a-production-secret-that-is-long-enough-42",
        )
        .env(
            "INSERVICE_DATA_KEY",
            "QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI=",
        )
        .args(["seed", "--demo"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("refuses a production environment"),
        "{stderr}"
    );
    std::fs::remove_dir_all(data).ok();
}

#[test]
fn a_server_that_looks_deployed_must_name_its_environment() {
    let data = scratch();
    let output = inservice(&data)
        .env("INSERVICE_BIND", "0.0.0.0:0")
        .arg("migrate")
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("INSERVICE_ENV must be set"), "{stderr}");
    std::fs::remove_dir_all(data).ok();
}
