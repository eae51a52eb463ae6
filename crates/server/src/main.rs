//! `inservice`: serve the platform, migrate its database, load demo data, print the API spec.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use inservice::{Application, Config};
use inservice_persistence::secrets::IdentityVault;
use inservice_persistence::{
    DEMO_ACCOUNTS, DEMO_PASSWORD, Database, seed_demo, seed_demo_accounts, seed_demo_courses,
    seed_demo_records,
};

#[derive(Debug, Parser)]
#[command(
    name = "inservice",
    version,
    about = "全國教師在職進修資訊網 — the in-service teacher training platform"
)]
struct Cli {
    /// A TOML configuration file (also INSERVICE_CONFIG); environment variables override it.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the API and the SPA (the default).
    Serve,
    /// Create or upgrade the database schema and reference data.
    Migrate,
    /// Load data into a migrated database.
    Seed {
        /// Load the demo units (idempotent: rows already present are kept).
        #[arg(long)]
        demo: bool,
    },
    /// Print the OpenAPI document (JSON) to standard output.
    Openapi,
    /// Account maintenance.
    Accounts {
        #[command(subcommand)]
        command: AccountsCommand,
    },
    /// Take a consistent backup of the database now, while it is in use (the server also takes
    /// one daily), and delete the oldest beyond the configured number.
    Backup {
        /// The folder to write to (default: the configured backup folder).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// Restore a backup into the configured database, which must be empty (or `--force`).
    /// Stop the server first.
    Restore {
        /// A file written by `inservice backup` (or the daily backup).
        file: PathBuf,
        /// Replace the contents of a database that is not empty.
        #[arg(long)]
        force: bool,
    },
    /// Read the development mailbox (mail the server queued).
    Mail {
        #[command(subcommand)]
        command: MailCommand,
    },
    /// The partner exchange (資訊傳報).
    Exchange {
        #[command(subcommand)]
        command: ExchangeCommand,
    },
}

#[derive(Debug, Subcommand)]
enum ExchangeCommand {
    /// Export every counted record of a kindergarten teacher not exported yet to the preschool
    /// platform (partner `preschool`), as the server does from the 15th of each month.
    PreschoolExport {
        /// Only count what would go.
        #[arg(long)]
        dry_run: bool,
    },
    /// Queue the yearly contact re-confirmation reminders (the server does it daily).
    RemindContacts,
}

#[derive(Debug, Subcommand)]
enum AccountsCommand {
    /// Warn, then delete, idle business accounts of universities, agencies and legal persons
    /// (no login for two years; deleted 14 days after the warning). Runs daily inside `serve`.
    SweepIdle {
        /// Only report what would happen.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, Subcommand)]
enum MailCommand {
    /// List the newest messages with their bodies.
    List {
        /// How many messages to show.
        #[arg(long, default_value_t = 20)]
        limit: u64,
    },
}

fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("INSERVICE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_ansi(ansi)
        .init();
}

async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::Openapi = command {
        print!("{}", inservice_api::openapi_json());
        return Ok(());
    }
    let config = Config::load(cli.config.as_deref())?;
    match command {
        Command::Openapi => unreachable!("handled before loading the configuration"),
        Command::Migrate => {
            let db = Database::connect(&config.database_url).await?;
            let pending = db.pending_migrations().await?;
            db.migrate().await?;
            println!(
                "migrated the {} database: {pending} migration(s) applied",
                db.kind().name()
            );
            db.close().await?;
        }
        Command::Seed { demo } => {
            if !demo {
                return Err("nothing to seed: reference data comes with `inservice migrate`; use `seed --demo`".into());
            }
            // Demo accounts share one published password: never in a production database.
            if config.environment == inservice::Environment::Production {
                return Err("seed --demo refuses a production environment: demo accounts have a published password".into());
            }
            let db = Database::connect(&config.database_url).await?;
            let summary = seed_demo(&db).await?;
            let vault = IdentityVault::new(&config.data_key);
            let hash = inservice_api::auth::hash_password(DEMO_PASSWORD.to_owned()).await?;
            let accounts = seed_demo_accounts(&db, &vault, &hash).await?;
            let courses = seed_demo_courses(&db, chrono::Utc::now()).await?;
            let records = seed_demo_records(&db, chrono::Utc::now()).await?;
            println!(
                "demo data: {} unit(s), {accounts} account(s), {courses} course(s) and {records} training record(s) added ({} units, {} accounts in all)",
                summary.units_added,
                summary.units_present,
                DEMO_ACCOUNTS.len()
            );
            print_demo_logins();
            db.close().await?;
        }
        Command::Backup { dir } => {
            let db = Database::connect(&config.database_url).await?;
            let dir = dir.unwrap_or_else(|| config.backup.dir.clone());
            let path = db.backup_to(&dir, chrono::Utc::now()).await?;
            db.close().await?;
            println!("backup written: {}", path.display());
            for old in inservice_persistence::backup::prune(&dir, config.backup.keep)? {
                println!("old backup deleted: {}", old.display());
            }
        }
        Command::Restore { file, force } => {
            let report =
                inservice_persistence::backup::restore(&file, &config.database_url, force).await?;
            println!(
                "restored {} into the {} database: {} table(s), {} row(s)",
                file.display(),
                redact(&config.database_url),
                report.tables,
                report.rows
            );
            if report.pending_migrations > 0 {
                println!(
                    "the backup predates {} migration(s): run `inservice migrate` before serving",
                    report.pending_migrations
                );
            }
        }
        Command::Mail {
            command: MailCommand::List { limit },
        } => {
            let db = Database::connect(&config.database_url).await?;
            let messages = db.recent_mail(limit).await?;
            if messages.is_empty() {
                println!("the mailbox is empty");
            }
            for mail in messages {
                println!(
                    "#{} {} [{}] to {}\nSubject: {}\n\n{}\n",
                    mail.id, mail.created_at, mail.status, mail.to_address, mail.subject, mail.body
                );
            }
            db.close().await?;
        }
        Command::Accounts {
            command: AccountsCommand::SweepIdle { dry_run },
        } => {
            let db = Database::connect(&config.database_url).await?;
            let report = db.sweep_idle_accounts(chrono::Utc::now(), dry_run).await?;
            let verb = if dry_run { "would be" } else { "were" };
            println!(
                "{} account(s) {verb} warned: {}",
                report.warned.len(),
                report.warned.join(", ")
            );
            println!(
                "{} account(s) {verb} deleted: {}",
                report.deleted.len(),
                report.deleted.join(", ")
            );
            db.close().await?;
        }
        Command::Exchange { command } => {
            let db = Database::connect(&config.database_url).await?;
            let now = chrono::Utc::now();
            match command {
                ExchangeCommand::PreschoolExport { dry_run } => {
                    let code = inservice_api::PRESCHOOL_PARTNER;
                    match inservice::exchange::preschool_export(&db, code, dry_run, now).await? {
                        Some(outcome) => {
                            let verb = if dry_run { "would go" } else { "went" };
                            println!(
                                "{} record(s) {verb} to the preschool platform (batch {})",
                                outcome.counts.rows, outcome.batch_id
                            );
                        }
                        None => println!("no partner `{code}` is registered: nothing exported"),
                    }
                }
                ExchangeCommand::RemindContacts => {
                    let codes = inservice::exchange::remind_contacts(&db, now).await?;
                    println!("{} reminder(s) queued: {}", codes.len(), codes.join(", "));
                }
            }
            db.close().await?;
        }
        Command::Serve => {
            let app = Application::build(&config).await?;
            let url = format!(
                "http://{}",
                config.bind.replace(":0", &format!(":{}", app.port()))
            );
            tracing::info!(%url, database = %redact(&config.database_url), "serving");
            println!("inservice is serving on {url}  (API docs: {url}/api/docs/)");
            println!(
                "demo logins: see `inservice seed --demo` (every demo password: {DEMO_PASSWORD})"
            );
            app.run_until_stopped().await?;
        }
    }
    Ok(())
}

fn print_demo_logins() {
    println!("\ndemo logins (password for all: {DEMO_PASSWORD}):");
    for demo in &DEMO_ACCOUNTS {
        println!("  {:<16} {}", demo.login, demo.role);
    }
    println!();
}

/// Keeps passwords in database URLs out of the log.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            format!("{}://…@{}", &url[..scheme_end], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

#[actix_web::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("inservice: {error}");
            ExitCode::FAILURE
        }
    }
}
