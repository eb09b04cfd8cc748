//! What the store's test files share: a PostgreSQL database made for one test.

/// A fresh PostgreSQL database for one test, dropped when the test ends (even by a failed
/// assertion); `None`, with a note, when `SOLIDARIA_TEST_PG` is not set.
#[cfg(feature = "postgres")]
pub struct TestDatabase {
    admin: postgres::Config,
    name: String,
    /// Connects to the test's database.
    pub config: postgres::Config,
}

#[cfg(feature = "postgres")]
impl TestDatabase {
    /// `label` tells the tests of one run apart (the process id is added).
    pub fn new(label: &str) -> Option<TestDatabase> {
        let Some(url) = std::env::var("SOLIDARIA_TEST_PG").ok().filter(|u| !u.is_empty()) else {
            eprintln!("skipped: set SOLIDARIA_TEST_PG to a PostgreSQL URL to run the PostgreSQL store tests");
            return None;
        };
        let admin: postgres::Config = url.parse().unwrap();
        let name = format!("solidaria_t_{label}_{}", std::process::id());
        let mut c = admin.connect(postgres::NoTls).unwrap();
        c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).unwrap();
        c.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
        let mut config = admin.clone();
        config.dbname(&name);
        Some(TestDatabase { admin, name, config })
    }
}

#[cfg(feature = "postgres")]
impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Ok(mut c) = self.admin.connect(postgres::NoTls) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name));
        }
    }
}
