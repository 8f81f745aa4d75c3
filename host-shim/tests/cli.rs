//! The `host-shim` command as an admin or a script uses it: the built binary, a temporary data
//! directory, and an in-process INES simulator on 127.0.0.1.

use std::path::PathBuf;
use std::process::{Command, Output};

use ines_sim::{SimConfig, Simulator};
use serde_json::Value;

/// The plugin component: `INES_PLUGIN_WASM` (as `make test` sets it), else the workspace's
/// default release path. The tests never build it themselves.
fn plugin_wasm() -> PathBuf {
    host_shim::built::component(host_shim::built::PLUGIN).unwrap_or_else(|e| panic!("{e}"))
}

fn start_sim() -> Simulator {
    match Simulator::start(SimConfig::default(), ([127, 0, 0, 1], 0).into()) {
        Ok(sim) => sim,
        Err(e) => panic!("the INES simulator did not start: {e}"),
    }
}

/// A URL where nothing listens: a simulator's port, right after it stopped.
fn dead_url() -> String {
    let sim = start_sim();
    let url = sim.base_url();
    sim.shutdown();
    url
}

/// One finished run of the command.
struct Run {
    command: String,
    output: Output,
}

impl Run {
    fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.output.stdout).into_owned()
    }

    fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.output.stderr).into_owned()
    }

    fn code(&self) -> Option<i32> {
        self.output.status.code()
    }

    /// Everything needed to understand a failed assertion.
    fn report(&self) -> String {
        format!(
            "command: {}\nexit: {:?}\n--- stdout ---\n{}--- stderr ---\n{}",
            self.command,
            self.code(),
            self.stdout(),
            self.stderr()
        )
    }

    fn json(&self) -> Value {
        match serde_json::from_str(&self.stdout()) {
            Ok(v) => v,
            Err(e) => panic!("stdout is not JSON ({e})\n{}", self.report()),
        }
    }
}

/// The platform of one test: a fresh data directory.
struct Shim {
    dir: tempfile::TempDir,
}

impl Shim {
    fn new() -> Shim {
        let dir = match tempfile::tempdir() {
            Ok(dir) => dir,
            Err(e) => panic!("no temporary directory: {e}"),
        };
        Shim { dir }
    }

    /// Runs `host-shim --data DIR ARGS…` with `env` added to a clean environment.
    fn run_with(&self, env: &[(&str, &str)], args: &[&str]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_host-shim"));
        command
            .arg("--data")
            .arg(self.dir.path())
            .args(args)
            .env_remove("HOST_SHIM_DATA")
            .env_remove("INES_PASSWORD");
        for (k, v) in env {
            command.env(k, v);
        }
        let shown = format!(
            "host-shim --data {} {}",
            self.dir.path().display(),
            args.join(" ")
        );
        match command.output() {
            Ok(output) => Run {
                command: shown,
                output,
            },
            Err(e) => panic!("cannot run {shown}: {e}"),
        }
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_with(&[], args)
    }

    /// Runs and asserts exit code 0.
    fn ok(&self, args: &[&str]) -> Run {
        let run = self.run(args);
        assert_eq!(run.code(), Some(0), "expected success\n{}", run.report());
        run
    }

    /// Runs and asserts a failure with that exit code.
    fn fails(&self, code: i32, args: &[&str]) -> Run {
        let run = self.run(args);
        assert_eq!(
            run.code(),
            Some(code),
            "expected exit code {code}\n{}",
            run.report()
        );
        run
    }

    fn install(&self) {
        let wasm = plugin_wasm();
        let wasm = wasm.to_string_lossy();
        let run = self.ok(&["install", "--component", &wasm]);
        assert!(
            run.stdout().contains("installed the INES plugin"),
            "{}",
            run.report()
        );
    }

    /// Installed, connected to `sim` (the password through INES_PASSWORD), published, push on.
    fn connected_to(sim: &Simulator) -> Shim {
        let shim = Shim::new();
        shim.install();
        let account = &sim.config().accounts[0];
        let url = sim.base_url();
        let run = shim.run_with(
            &[("INES_PASSWORD", &account.password)],
            &[
                "configure",
                "--ines-url",
                &url,
                "--account",
                &account.account,
                "--user",
                &account.user,
                "--published",
                "true",
                "--push-contacts",
                "true",
            ],
        );
        assert_eq!(run.code(), Some(0), "{}", run.report());
        shim
    }

    /// Connected, with the custom lead fields and the seed's mapping (see `MAPPING`).
    fn mapped_to(sim: &Simulator) -> Shim {
        let shim = Shim::connected_to(sim);
        for alias in ["niveau", "secteur"] {
            shim.ok(&["field", "add", alias, "--label", alias, "--kind", "text"]);
        }
        let run = shim.ok(&mapping_args(&["--non-overwritable", "contact:Function"]));
        assert!(run.stdout().contains("mapping checked"), "{}", run.report());
        shim
    }

    fn settings(&self) -> Value {
        self.ok(&["settings"]).json()
    }
}

const MAPPING: &[&str] = &[
    "special:contact-ref=ines_contact_ref",
    "special:client-ref=ines_client_ref",
    "special:stop-sync=ines_stop_sync",
    "contact:PrimaryMailAddress=email",
    "client:CompanyName=company",
    "contact:FirstName=firstname",
    "contact:LastName=lastname",
    "contact:Function=position",
    "contact:BussinesTelephone=phone",
    "contact-custom:17=niveau",
    "client-custom:21=secteur",
];

/// `configure --map …` for the whole of `MAPPING`, then `extra`.
fn mapping_args<'a>(extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["configure"];
    for entry in MAPPING {
        args.push("--map");
        args.push(entry);
    }
    args.extend_from_slice(extra);
    args
}

const FORM: &[&str] = &[
    "form",
    "submit",
    "--form-name",
    "Contact us",
    "--field",
    "email=jean.dupont@example.com",
    "--field",
    "company=Dupont SA",
    "--field",
    "firstname=Jean",
    "--field",
    "position=CEO",
    "--field",
    "niveau=Silver",
];

fn with<'a>(base: &[&'a str], extra: &[&'a str]) -> Vec<&'a str> {
    base.iter().chain(extra).copied().collect()
}

#[test]
fn install_configure_connect_then_a_form_creates_and_updates_the_ines_contact() {
    let sim = start_sim();
    let shim = Shim::mapped_to(&sim);
    let run = shim.ok(&["test-connection"]);
    assert_eq!(run.stdout().trim(), "OK", "{}", run.report());
    let run = shim.ok(&["test-connection", "--json"]);
    assert_eq!(run.json()["ok"], true, "{}", run.report());
    let password = &sim.config().accounts[0].password;
    let settings = shim.ok(&["settings"]);
    assert!(
        !settings.stdout().contains(password.as_str()),
        "{}",
        settings.report()
    );

    let first = shim.ok(&with(FORM, &["--json"])).json();
    assert_eq!(first["outcome"], "created", "{first}");
    assert_eq!(first["lead_created"], true, "{first}");
    assert_eq!(first["reason"], Value::Null, "{first}");
    let lead_id = first["lead_id"].as_u64().expect("lead id");

    let state = sim.state();
    assert_eq!((state.clients.len(), state.contacts.len()), (1, 1));
    let (contact_ref, contact) = state.contacts.iter().next().expect("contact");
    let client_ref = state.clients.keys().next().expect("client");
    assert_eq!(contact.get("FirstName"), "Jean");
    let lead = shim
        .ok(&["lead", "show", &lead_id.to_string(), "--json"])
        .json();
    assert_eq!(
        lead["fields"]["ines_contact_ref"],
        contact_ref.to_string(),
        "{lead}"
    );
    assert_eq!(
        lead["fields"]["ines_client_ref"],
        client_ref.to_string(),
        "{lead}"
    );
    assert_eq!(lead["companies"][0]["name"], "Dupont SA", "{lead}");
    assert_eq!(lead["companies"][0]["primary"], true, "{lead}");

    // The same e-mail again, the first name and the non-overwritable position changed.
    let changed = [
        "--field",
        "email=jean.dupont@example.com",
        "--field",
        "company=Dupont SA",
        "--field",
        "firstname=Jean-Pierre",
        "--field",
        "position=Président",
        "--json",
    ];
    let second = shim
        .ok(&with(
            &["form", "submit", "--form-name", "Contact us"],
            &changed,
        ))
        .json();
    assert_eq!(second["outcome"], "updated", "{second}");
    assert_eq!(second["lead_created"], false, "{second}");
    assert_eq!(second["lead_id"], lead_id, "{second}");
    let state = sim.state();
    assert_eq!(state.contacts.len(), 1);
    let contact = state.contacts.values().next().expect("contact");
    assert_eq!(contact.get("FirstName"), "Jean-Pierre");
    assert_eq!(contact.get("Function"), "CEO", "non-overwritable");

    // The human output names the lead and the outcome.
    let again = shim.ok(&with(
        &["form", "submit", "--form-name", "Contact us"],
        &changed[..8],
    ));
    assert!(
        again.stdout().contains("outcome : unchanged"),
        "{}",
        again.report()
    );
}

#[test]
fn a_refused_push_exits_1_with_its_reason() {
    let sim = start_sim();
    let shim = Shim::mapped_to(&sim);
    sim.clear_calls();
    let run = shim.fails(
        1,
        &[
            "form",
            "submit",
            "--form-name",
            "Contact us",
            "--field",
            "email=solo@example.com",
            "--json",
        ],
    );
    let result = run.json();
    assert_eq!(result["outcome"], "refused", "{}", run.report());
    assert_eq!(
        result["reason"],
        "the lead has no company",
        "{}",
        run.report()
    );
    assert!(sim.calls().is_empty());
}

#[test]
fn leads_are_listed_edited_and_deleted_without_calling_the_plugin() {
    let sim = start_sim();
    let shim = Shim::mapped_to(&sim);
    let lead_id = shim.ok(&with(FORM, &["--json"])).json()["lead_id"]
        .as_u64()
        .expect("lead id");
    let id = lead_id.to_string();
    sim.clear_calls();

    let saved = shim
        .ok(&[
            "lead",
            "set",
            &id,
            "--field",
            "lastname=Dupont",
            "--field",
            "firstname=",
            "--points",
            "42",
            "--do-not-contact",
            "yes",
            "--company",
            "Martin SARL",
            "--json",
        ])
        .json();
    assert_eq!(saved["points"], 42, "{saved}");
    assert_eq!(saved["do_not_contact"], true, "{saved}");
    assert_eq!(saved["fields"]["lastname"], "Dupont", "{saved}");
    assert_eq!(
        saved["fields"]["firstname"],
        Value::Null,
        "cleared: {saved}"
    );
    assert_eq!(saved["fields"]["company"], "Martin SARL", "{saved}");
    let companies = saved["companies"].as_array().expect("companies");
    let primary: Vec<_> = companies.iter().filter(|c| c["primary"] == true).collect();
    assert_eq!(primary.len(), 1, "{saved}");
    assert_eq!(primary[0]["name"], "Martin SARL", "{saved}");
    assert!(sim.calls().is_empty(), "lead set must not call INES yet");

    let listed = shim.ok(&["lead", "list", "--json"]).json();
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    let table = shim.ok(&["lead", "list"]).stdout();
    assert!(
        table.contains("INES CONTACT") && table.contains("Martin SARL"),
        "{table}"
    );

    shim.ok(&["lead", "delete", &id]);
    let listed = shim.ok(&["lead", "list", "--json"]).json();
    assert_eq!(listed, Value::Array(Vec::new()));
    let gone = shim.fails(2, &["lead", "show", &id]);
    assert!(
        gone.stderr().contains(&format!("no lead with id {id}")),
        "{}",
        gone.report()
    );
    assert!(sim.calls().is_empty());
}

#[test]
fn fields_are_listed_and_added_once() {
    let shim = Shim::new();
    shim.install();
    let fields = shim.ok(&["field", "list", "--json"]).json();
    let aliases: Vec<&str> = fields
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|f| f["alias"].as_str())
        .collect();
    assert!(
        aliases.contains(&"email") && aliases.contains(&"ines_stop_sync"),
        "{fields}"
    );

    let added = shim
        .ok(&[
            "field", "add", "budget", "--label", "Budget", "--kind", "number", "--json",
        ])
        .json();
    assert_eq!(added["kind"], "number", "{added}");
    let again = shim.fails(2, &["field", "add", "budget", "--label", "Other"]);
    assert!(
        again.stderr().contains("already exists"),
        "{}",
        again.report()
    );
    let core = shim.fails(2, &["field", "add", "email", "--label", "Mail"]);
    assert!(
        core.stderr().contains("already exists"),
        "{}",
        core.report()
    );
    let bad = shim.fails(2, &["field", "add", "Bad-Alias", "--label", "x"]);
    assert!(bad.stderr().contains("is not valid"), "{}", bad.report());
    let listed = shim.ok(&["field", "list"]).stdout();
    assert!(
        listed.contains("budget") && listed.contains("Budget"),
        "{listed}"
    );
}

#[test]
fn the_mapping_tab_lists_what_describe_offers() {
    let sim = start_sim();
    let shim = Shim::mapped_to(&sim);
    let out = shim.ok(&["mapping", "--json"]).json();
    let fields = out["fields"].as_array().expect("fields");
    let find = |key: &str| fields.iter().find(|f| f["key"] == key).cloned();
    let custom = find("contact-custom:17").expect("custom field 17");
    assert_eq!(custom["concept"], "contact");
    assert_eq!(
        custom["choices"],
        serde_json::json!(["Bronze", "Silver", "Gold"])
    );
    assert_eq!(custom["lead_field"], "niveau");
    let email = find("contact:PrimaryMailAddress").expect("e-mail");
    assert_eq!(email["required"], true);
    assert_eq!(
        find("contact:Function").expect("function")["non_overwritable"],
        true
    );
    let cities = fields.iter().filter(|f| f["ines_name"] == "City").count();
    assert_eq!(cities, 2, "City exists on the contact and on the client");
    let table = shim.ok(&["mapping"]).stdout();
    assert!(
        table.contains("special:contact-ref") && table.contains("ines_contact_ref"),
        "{table}"
    );
}

#[test]
fn a_wrong_mapping_is_refused_whole_and_the_settings_stay_unchanged() {
    let sim = start_sim();
    let shim = Shim::mapped_to(&sim);
    let before = shim.settings();

    let unknown = shim.fails(
        2,
        &[
            "configure",
            "--push-contacts",
            "false",
            "--map",
            "contact:Nickname=firstname",
        ],
    );
    assert!(
        unknown.stderr().contains("'contact:Nickname'"),
        "{}",
        unknown.report()
    );
    assert!(
        unknown.stderr().contains("not saved"),
        "{}",
        unknown.report()
    );
    assert_eq!(shim.settings(), before);

    let no_field = shim.fails(2, &["configure", "--map", "contact:City=ville"]);
    assert!(
        no_field.stderr().contains("'ville'"),
        "{}",
        no_field.report()
    );
    assert_eq!(shim.settings(), before);

    let missing = shim.fails(
        2,
        &[
            "configure",
            "--clear-mapping",
            "--map",
            "contact:PrimaryMailAddress=email",
        ],
    );
    assert!(
        missing.stderr().contains("--map client:CompanyName=FIELD"),
        "{}",
        missing.report()
    );
    assert_eq!(shim.settings(), before);

    let kept = shim.fails(2, &["configure", "--non-overwritable", "contact:Nope"]);
    assert!(
        kept.stderr().contains("'contact:Nope'"),
        "{}",
        kept.report()
    );
    assert_eq!(shim.settings(), before);

    let malformed = shim.fails(2, &["configure", "--map", "contact:City"]);
    assert!(
        malformed.stderr().contains("is not KEY=VALUE"),
        "{}",
        malformed.report()
    );
    assert_eq!(shim.settings(), before);
}

#[test]
fn a_mapping_that_cannot_be_checked_is_saved_with_a_warning() {
    let shim = Shim::new();
    shim.install();
    for alias in ["niveau", "secteur"] {
        shim.ok(&["field", "add", alias, "--label", alias]);
    }
    let url = dead_url();
    let run = shim.run_with(
        &[("INES_PASSWORD", "s3cret")],
        &with(
            &mapping_args(&[]),
            &[
                "--ines-url",
                &url,
                "--account",
                "ACME",
                "--user",
                "jdupont",
                "--json",
            ],
        ),
    );
    assert_eq!(run.code(), Some(0), "{}", run.report());
    assert!(!run.stdout().contains("s3cret"), "{}", run.report());
    let out = run.json();
    assert_eq!(out["saved"], true, "{}", run.report());
    assert_eq!(out["mapping_checked"], false, "{}", run.report());
    assert!(
        out["warning"]
            .as_str()
            .is_some_and(|w| w.contains("could not be checked") && w.contains("unreachable")),
        "{}",
        run.report()
    );
    assert_eq!(shim.settings()["mapping"]["contact-custom:17"], "niveau");
    assert_eq!(shim.settings()["ines_url"], url.as_str());

    // A push while INES is down: the lead is saved, the push failed, exit code 1.
    shim.ok(&[
        "configure",
        "--published",
        "true",
        "--push-contacts",
        "true",
    ]);
    let run = shim.fails(1, &with(FORM, &["--json"]));
    let result = run.json();
    assert_eq!(result["outcome"], "failed", "{}", run.report());
    assert_eq!(result["lead_created"], true, "{}", run.report());
    assert!(
        result["reason"]
            .as_str()
            .is_some_and(|r| r.contains("unreachable")),
        "{}",
        run.report()
    );
    let lead = shim
        .ok(&["lead", "show", &result["lead_id"].to_string(), "--json"])
        .json();
    assert_eq!(lead["fields"]["email"], "jean.dupont@example.com", "{lead}");
}

#[test]
fn bad_input_is_refused_clearly_and_changes_nothing() {
    let sim = start_sim();
    let shim = Shim::mapped_to(&sim);
    sim.clear_calls();
    let no_equals = shim.fails(
        2,
        &[
            "form",
            "submit",
            "--form-name",
            "Contact us",
            "--field",
            "email",
        ],
    );
    assert!(
        no_equals.stderr().contains("\"email\" is not ALIAS=VALUE"),
        "{}",
        no_equals.report()
    );
    let no_email = shim.fails(
        2,
        &[
            "form",
            "submit",
            "--form-name",
            "Contact us",
            "--field",
            "company=X",
        ],
    );
    assert!(
        no_email.stderr().contains("--field email="),
        "{}",
        no_email.report()
    );
    let unknown_field = shim.fails(2, &with(FORM, &["--field", "shoe_size=44"]));
    assert!(
        unknown_field.stderr().contains("'shoe_size'"),
        "{}",
        unknown_field.report()
    );
    let bad_number = shim.fails(2, &with(FORM, &["--field", "ines_contact_ref=abc"]));
    assert!(
        bad_number.stderr().contains("ines_contact_ref"),
        "{}",
        bad_number.report()
    );
    assert_eq!(
        shim.ok(&["lead", "list", "--json"]).json(),
        Value::Array(Vec::new())
    );
    assert!(sim.calls().is_empty(), "INES received something");

    let id = shim.ok(&with(FORM, &["--json"])).json()["lead_id"]
        .as_u64()
        .expect("lead id")
        .to_string();
    let before = shim.ok(&["lead", "show", &id, "--json"]).json();
    for (args, says) in [
        (
            vec!["lead", "set", &id, "--field", "ines_stop_sync=maybe"],
            "ines_stop_sync",
        ),
        (
            vec!["lead", "set", &id, "--field", "=x"],
            "is not ALIAS=VALUE",
        ),
        (vec!["lead", "set", &id, "--points", "many"], "many"),
        (
            vec!["lead", "set", &id, "--do-not-contact", "perhaps"],
            "yes/no",
        ),
        (
            vec!["lead", "set", &id, "--company", "A", "--field", "company=B"],
            "disagree",
        ),
        (vec!["lead", "set", &id], "nothing to change"),
        (
            vec!["lead", "set", "999", "--points", "1"],
            "no lead with id 999",
        ),
        (vec!["lead", "delete", "999"], "no lead with id 999"),
    ] {
        let run = shim.run(&args);
        assert_ne!(run.code(), Some(0), "{}", run.report());
        assert!(
            run.stderr().contains(says),
            "expected {says:?}\n{}",
            run.report()
        );
    }
    assert_eq!(shim.ok(&["lead", "show", &id, "--json"]).json(), before);
}
