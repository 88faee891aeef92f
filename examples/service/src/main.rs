//! `htx-rules-service`: the HTTP service. `htx-rules-service --listen 127.0.0.1:8080`; see the
//! crate docs (`src/lib.rs`) for the routes.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use htx_rules::Engine;
use htx_rules_service::{app, Config, DEFAULT_MAX_BODY_BYTES};

/// Answers POST /evaluate/{entity}, POST /validate/{entity} and GET /explain/{name} with the
/// htx-rules engine (the embedded Bến Tre pack unless --pack is given).
#[derive(Parser, Debug)]
#[command(name = "htx-rules-service", version)]
struct Args {
    /// Address to listen on; port 0 picks a free port (the address is printed on stderr).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// A pack folder to load instead of the embedded Bến Tre pack.
    #[arg(long)]
    pack: Option<PathBuf>,
    /// The largest request body accepted, in bytes (a larger one gets 413).
    #[arg(long, default_value_t = DEFAULT_MAX_BODY_BYTES)]
    max_body_bytes: usize,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let engine = match &args.pack {
        Some(dir) => Engine::from_dir(dir),
        None => Engine::embedded(),
    };
    let engine = match engine {
        Ok(e) => Arc::new(e),
        Err(e) => {
            for d in e.diagnostics() {
                eprintln!("{d}");
            }
            eprintln!("htx-rules-service: {} [{}]", e.message().en, e.code());
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("htx-rules-service: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    let config = Config {
        max_body_bytes: args.max_body_bytes,
    };
    match runtime.block_on(serve(args.listen, engine, config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("htx-rules-service: {e}");
            ExitCode::from(2)
        }
    }
}

async fn serve(addr: SocketAddr, engine: Arc<Engine>, config: Config) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let packs: Vec<String> = engine
        .packs()
        .iter()
        .map(|p| format!("{} {}", p.id, p.version))
        .collect();
    eprintln!(
        "htx-rules-service: listening on http://{} ({}; body limit {} bytes)",
        listener.local_addr()?,
        packs.join(", "),
        config.max_body_bytes
    );
    axum::serve(listener, app(engine, config))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}
