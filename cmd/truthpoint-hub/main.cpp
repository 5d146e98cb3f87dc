// truthpoint-hub: parses the command line with CLI11 and hands over to the commands in truthpoint::hub.
#include <iostream>
#include <string_view>
#include <utility>

#include <CLI/CLI.hpp>

#include "read_secret.hpp"

#include "truthpoint/hub/commands.hpp"

namespace hub = truthpoint::hub;

namespace {

// --db on every subcommand, defaulting to $TRUTHPOINT_HUB_DB, then to the packaged path.
void add_database_option(CLI::App& command, std::string& url) {
    command.add_option("--db", url, "database URL: sqlite:PATH or postgresql://...")
        ->envname(hub::kDatabaseUrlEnvironmentVariable)
        ->capture_default_str();
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Truthpoint hub: receives kiosk batches, stores them once, serves the dashboard and exports."};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("truthpoint-hub ") + TRUTHPOINT_VERSION);

    hub::ServeArguments serve;
    CLI::App* serve_command = app.add_subcommand("serve", "run the HTTP server");
    serve_command->add_option("--listen", serve.listen, "HOST:PORT to listen on (port 0: any free port)")
        ->capture_default_str();
    add_database_option(*serve_command, serve.database_url);

    CLI::App* kiosk_command = app.add_subcommand("kiosk", "enrol, list and revoke kiosks, and give them new tokens");
    kiosk_command->require_subcommand(1);
    hub::KioskAddArguments kiosk_add;
    CLI::App* add_command = kiosk_command->add_subcommand("add", "enrol a kiosk and print its token once");
    add_command->add_option("--kiosk", kiosk_add.kiosk_id, "the kiosk's id")->required();
    add_command->add_option("--store", kiosk_add.store_id, "the store it stands in")->required();
    add_command->add_option("--region", kiosk_add.region, "the store's region");
    add_command->add_option("--write-config", kiosk_add.write_config,
                            "also write the kiosk's ready kiosk.toml here, token inside, mode 0600 (needs --hub-url)");
    add_command->add_option("--hub-url", kiosk_add.hub_url, "the hub's address as kiosks reach it, for --write-config");
    add_command->add_option("--languages", kiosk_add.languages, "for --write-config: the kiosk's languages, e.g. en,fa")
        ->delimiter(',');
    add_command->add_flag("--force", kiosk_add.replace_config, "--write-config may replace an existing file");
    add_database_option(*add_command, kiosk_add.database_url);

    std::string list_database = hub::kDefaultDatabaseUrl;
    bool list_json = false;
    CLI::App* list_command = kiosk_command->add_subcommand("list", "list enrolled kiosks");
    list_command->add_flag("--json", list_json, "a JSON array instead of a table");
    add_database_option(*list_command, list_database);

    std::string revoke_kiosk_id;
    std::string revoke_database = hub::kDefaultDatabaseUrl;
    CLI::App* revoke_command = kiosk_command->add_subcommand("revoke", "refuse a kiosk's token from now on");
    revoke_command->add_option("--kiosk", revoke_kiosk_id, "the kiosk's id")->required();
    add_database_option(*revoke_command, revoke_database);

    std::string rotate_kiosk_id;
    std::string rotate_database = hub::kDefaultDatabaseUrl;
    CLI::App* rotate_command = kiosk_command->add_subcommand(
        "rotate-token", "give a kiosk a new token and print it once; the old one is refused (a revoked kiosk is let in again)");
    rotate_command->add_option("--kiosk", rotate_kiosk_id, "the kiosk's id")->required();
    add_database_option(*rotate_command, rotate_database);

    CLI::App* store_command = app.add_subcommand("store", "stores' time zones and names, for the dashboard's local days and hours");
    store_command->require_subcommand(1);
    hub::StoreSetArguments store_set;
    CLI::App* store_set_command = store_command->add_subcommand(
        "set", "set a store's time zone (and name); its events are counted again on that clock");
    store_set_command->add_option("store", store_set.store_id, "the store's id, as kiosks were enrolled with")->required();
    store_set_command->add_option("--time-zone", store_set.time_zone, "an IANA time zone: Asia/Tehran, Europe/Athens")
        ->required();
    store_set_command->add_option("--name", store_set.name, "the store's name, as managers know it");
    add_database_option(*store_set_command, store_set.database_url);
    std::string store_list_database = hub::kDefaultDatabaseUrl;
    bool store_list_json = false;
    CLI::App* store_list_command = store_command->add_subcommand("list", "list stores with their time zones");
    store_list_command->add_flag("--json", store_list_json, "a JSON array instead of a table");
    add_database_option(*store_list_command, store_list_database);
    hub::StoreHoursArguments store_hours;
    CLI::App* store_hours_command = store_command->add_subcommand(
        "hours", "set or show a store's opening hours, when its kiosks are watched for silence");
    store_hours_command->add_option("store", store_hours.store_id, "the store's id")->required();
    store_hours_command->add_option("--set", store_hours.hours,
                                    "\"mon-fri 09:00-21:00; sat 10:00-18:00\" on the store's clock, or \"closed\"");
    add_database_option(*store_hours_command, store_hours.database_url);

    CLI::App* alert_rule_command =
        app.add_subcommand("alert-rule", "the alert rules' settings for the chain, a region or a store");
    alert_rule_command->require_subcommand(1);
    hub::AlertRuleSetArguments alert_rule_set;
    CLI::App* alert_rule_set_command =
        alert_rule_command->add_subcommand("set", "set a rule's thresholds, or turn it off or on, for one scope");
    alert_rule_set_command->add_option("--rule", alert_rule_set.rule, "unhappy_share, pain, kiosk_silent or kiosk_backlog")
        ->required();
    alert_rule_set_command->add_flag("--chain", alert_rule_set.chain, "every store (below regions' and stores' settings)");
    alert_rule_set_command->add_option("--region", alert_rule_set.region, "a region, as kiosks were enrolled with");
    alert_rule_set_command->add_option("--store", alert_rule_set.store_id, "a store's id");
    alert_rule_set_command->add_option("--threshold", alert_rule_set.threshold, "the rule's threshold (docs/hub.md)");
    alert_rule_set_command->add_option("--min-count", alert_rule_set.min_count, "the rule's minimum count");
    alert_rule_set_command->add_option("--window-minutes", alert_rule_set.window_minutes, "the rule's window");
    alert_rule_set_command->add_flag("--off", alert_rule_set.off, "the rule fires no more in this scope");
    alert_rule_set_command->add_flag("--on", alert_rule_set.on, "the rule fires again in this scope");
    add_database_option(*alert_rule_set_command, alert_rule_set.database_url);
    std::string alert_rule_list_database = hub::kDefaultDatabaseUrl;
    bool alert_rule_list_json = false;
    CLI::App* alert_rule_list_command =
        alert_rule_command->add_subcommand("list", "list the defaults and every scope's settings");
    alert_rule_list_command->add_flag("--json", alert_rule_list_json, "a JSON array instead of a table");
    add_database_option(*alert_rule_list_command, alert_rule_list_database);

    CLI::App* user_command = app.add_subcommand("user", "dashboard and BI logins: managers (one region) and admins");
    user_command->require_subcommand(1);
    hub::UserAddArguments user_add;
    CLI::App* user_add_command =
        user_command->add_subcommand("add", "add a login; asks for its password twice (or reads two lines from a pipe)");
    user_add_command->add_option("--name", user_add.name, "the name to sign in with")->required();
    user_add_command->add_option("--role", user_add.role, "manager (sees one region) or admin (sees all)")
        ->required();
    user_add_command->add_option("--region", user_add.region, "a manager's region, as kiosks were enrolled with");
    add_database_option(*user_add_command, user_add.database_url);
    std::string user_list_database = hub::kDefaultDatabaseUrl;
    bool user_list_json = false;
    CLI::App* user_list_command = user_command->add_subcommand("list", "list logins");
    user_list_command->add_flag("--json", user_list_json, "a JSON array instead of a table");
    add_database_option(*user_list_command, user_list_database);
    std::string user_remove_name;
    std::string user_remove_database = hub::kDefaultDatabaseUrl;
    CLI::App* user_remove_command = user_command->add_subcommand("remove", "remove a login and end its sessions");
    user_remove_command->add_option("--name", user_remove_name, "the login's name")->required();
    add_database_option(*user_remove_command, user_remove_database);
    std::string user_passwd_name;
    std::string user_passwd_database = hub::kDefaultDatabaseUrl;
    CLI::App* user_passwd_command = user_command->add_subcommand(
        "passwd", "change a login's password and end its sessions; asks twice (or reads two lines from a pipe)");
    user_passwd_command->add_option("--name", user_passwd_name, "the login's name")->required();
    add_database_option(*user_passwd_command, user_passwd_database);

    CLI::App* db_command = app.add_subcommand("db", "create the hub's database, or move its data to PostgreSQL");
    db_command->require_subcommand(1);
    std::string db_init_database = hub::kDefaultDatabaseUrl;
    CLI::App* db_init_command = db_command->add_subcommand(
        "init", "create a new SQLite database (only this and serve create one), or bring a database's schema up to date");
    add_database_option(*db_init_command, db_init_database);
    hub::DatabaseCopyArguments db_copy;
    CLI::App* db_copy_command = db_command->add_subcommand(
        "copy", "copy a stopped SQLite hub into a new, empty PostgreSQL database (tokens and passwords keep working)");
    db_copy_command->add_option("--from", db_copy.from, "the SQLite hub: sqlite:PATH")->required();
    db_copy_command->add_option("--to", db_copy.to, "the new PostgreSQL database: postgresql://...")->required();

    CLI::App* webhook_command = app.add_subcommand("webhook", "send alerts to other systems: signed JSON POSTs from a durable outbox");
    webhook_command->require_subcommand(1);
    hub::WebhookAddArguments webhook_add;
    CLI::App* webhook_add_command =
        webhook_command->add_subcommand("add", "add a webhook for the chain, a region or a store; prints its signing secret");
    webhook_add_command->add_option("--name", webhook_add.name, "the webhook's name")->required();
    webhook_add_command->add_option("--url", webhook_add.url, "where to POST: http:// or https://")->required();
    webhook_add_command->add_flag("--chain", webhook_add.chain, "every store's notifications");
    webhook_add_command->add_option("--region", webhook_add.region, "the stores of this region's");
    webhook_add_command->add_option("--store", webhook_add.store, "this store's");
    add_database_option(*webhook_add_command, webhook_add.database_url);
    std::string webhook_list_database = hub::kDefaultDatabaseUrl;
    bool webhook_list_json = false;
    CLI::App* webhook_list_command =
        webhook_command->add_subcommand("list", "list webhooks with what waits to be sent and the last error");
    webhook_list_command->add_flag("--json", webhook_list_json, "print a JSON array");
    add_database_option(*webhook_list_command, webhook_list_database);
    std::string webhook_remove_name;
    std::string webhook_remove_database = hub::kDefaultDatabaseUrl;
    CLI::App* webhook_remove_command = webhook_command->add_subcommand("remove", "remove a webhook and what waits for it");
    webhook_remove_command->add_option("--name", webhook_remove_name, "the webhook's name")->required();
    add_database_option(*webhook_remove_command, webhook_remove_database);
    std::string webhook_test_name;
    std::string webhook_test_database = hub::kDefaultDatabaseUrl;
    CLI::App* webhook_test_command = webhook_command->add_subcommand("test", "queue a test notification for a webhook");
    webhook_test_command->add_option("--name", webhook_test_name, "the webhook's name")->required();
    add_database_option(*webhook_test_command, webhook_test_database);

    CLI::App* pos_command = app.add_subcommand("pos", "enrol, list and revoke point-of-sale terminals that send receipts");
    pos_command->require_subcommand(1);
    hub::PosAddArguments pos_add;
    CLI::App* pos_add_command = pos_command->add_subcommand("add", "enrol a till and print its token once");
    pos_add_command->add_option("--pos", pos_add.pos_id, "the till's id")->required();
    pos_add_command->add_option("--store", pos_add.store_id, "the store it stands in")->required();
    add_database_option(*pos_add_command, pos_add.database_url);
    std::string pos_list_database = hub::kDefaultDatabaseUrl;
    CLI::App* pos_list_command = pos_command->add_subcommand("list", "list enrolled tills");
    add_database_option(*pos_list_command, pos_list_database);
    std::string pos_revoke_id;
    std::string pos_revoke_database = hub::kDefaultDatabaseUrl;
    CLI::App* pos_revoke_command = pos_command->add_subcommand("revoke", "refuse a till's token from now on");
    pos_revoke_command->add_option("--pos", pos_revoke_id, "the till's id")->required();
    add_database_option(*pos_revoke_command, pos_revoke_database);

    CLI::App* receipts_command = app.add_subcommand("receipts", "import till receipts (hashed receipt codes)");
    receipts_command->require_subcommand(1);
    hub::ReceiptsImportArguments receipts_import;
    CLI::App* import_command =
        receipts_command->add_subcommand("import", "import a CSV: receipt_hash,time,skus (skus separated by ';')");
    import_command->add_option("file", receipts_import.file, "the CSV file")->required();
    import_command->add_option("--store", receipts_import.store_id, "the store of every receipt in the file");
    add_database_option(*import_command, receipts_import.database_url);

    hub::ExportArguments export_arguments;
    CLI::App* export_command = app.add_subcommand("export", "write stored events to stdout, in received order");
    export_command->add_option("--format", export_arguments.format, "csv or ndjson")
        ->required()
        ->check(CLI::IsMember({"csv", "ndjson"}));
    export_command->add_option("--from", export_arguments.from, "received at or after this RFC 3339 time");
    export_command->add_option("--to", export_arguments.to, "received before this RFC 3339 time");
    export_command->add_option("--store", export_arguments.store_id, "only this store's events");
    export_command->add_option("--region", export_arguments.region,
                               "only the events of stores with a kiosk enrolled in this region");
    export_command->add_option("--sku", export_arguments.sku, "only this product's events");
    export_command->add_option("--from-day", export_arguments.from_day,
                               "occurred on or after this local day (YYYY-MM-DD, in each store's time zone)");
    export_command->add_option("--to-day", export_arguments.to_day, "occurred on or before this local day");
    export_command->add_flag("--without-misuse", export_arguments.without_misuse,
                             "leave out events the kiosk flagged as misuse, as the dashboard does");
    add_database_option(*export_command, export_arguments.database_url);

    CLI::App* config_command =
        app.add_subcommand("config", "set and show the kiosk configuration served at GET /api/v1/config");
    config_command->require_subcommand(1);
    // --store ID or --all, exactly one, on both config commands.
    const auto add_scope_options = [](CLI::App& command, hub::ConfigArguments& arguments) {
        auto* store = command.add_option("--store", arguments.store_id, "the store whose kiosks get this document");
        auto* all = command.add_flag("--all", arguments.chain_wide,
                                     "the chain-wide document, for stores without one of their own");
        store->excludes(all);
        all->excludes(store);  // neither at all is refused by the command itself, with a message
    };
    hub::ConfigArguments config_set;
    CLI::App* config_set_command =
        config_command->add_subcommand("set", "check a kiosk configuration document (JSON) and store it");
    add_scope_options(*config_set_command, config_set);
    config_set_command->add_option("--file", config_set.file, "the document's path, or - for standard input")
        ->required();
    add_database_option(*config_set_command, config_set.database_url);
    hub::ConfigArguments config_show;
    CLI::App* config_show_command =
        config_command->add_subcommand("show", "print the document a store's kiosks get");
    add_scope_options(*config_show_command, config_show);
    add_database_option(*config_show_command, config_show.database_url);

    CLI::App* receipt_key_command =
        app.add_subcommand("receipt-key", "the chain's receipt key, with which the point of sale hashes receipt codes");
    receipt_key_command->require_subcommand(1);
    std::string receipt_key_database = hub::kDefaultDatabaseUrl;
    CLI::App* receipt_key_show_command = receipt_key_command->add_subcommand(
        "show", "print the receipt key (created on first use) for the point-of-sale integrator");
    add_database_option(*receipt_key_show_command, receipt_key_database);
    int receipt_key_kiosks_days = 90;
    CLI::App* receipt_key_rotate_command = receipt_key_command->add_subcommand(
        "rotate", "make a new receipt key for the point of sale; kiosks hash under the old one too for a while");
    receipt_key_rotate_command
        ->add_option("--kiosks-days", receipt_key_kiosks_days,
                     "days kiosks also hash receipts under the old key, so that receipts sent under it still verify")
        ->check(CLI::Range(0, 3650))
        ->capture_default_str();
    add_database_option(*receipt_key_rotate_command, receipt_key_database);

    // CLI11 would answer a misspelt command with "A subcommand is required"; name it instead.
    for (const auto& [level, command] :
         {std::pair{1, &app}, std::pair{2, kiosk_command}, std::pair{2, store_command}, std::pair{2, alert_rule_command}, std::pair{2, user_command}, std::pair{2, db_command}, std::pair{2, config_command}, std::pair{2, pos_command}, std::pair{2, webhook_command},
          std::pair{2, receipts_command}, std::pair{2, receipt_key_command}}) {
        if (argc <= level || (level == 2 && std::string_view(argv[1]) != command->get_name())) continue;
        const std::string_view word = argv[level];
        if (word.empty() || word.front() == '-') continue;
        const auto known = command->get_subcommands([&](CLI::App* sub) { return sub->get_name() == word; });
        if (known.empty()) {
            std::cerr << "unknown command '" << word << "'; run " << argv[0]
                      << (level == 2 ? " " + command->get_name() : std::string()) << " --help for the list\n";
            return hub::kExitUsage;
        }
    }

    try {
        app.parse(argc, argv);
    } catch (const CLI::CallForHelp& help) {
        return app.exit(help);
    } catch (const CLI::CallForAllHelp& help) {
        return app.exit(help);
    } catch (const CLI::CallForVersion& version) {
        return app.exit(version);
    } catch (const CLI::ParseError& error) {
        app.exit(error);  // prints the message, which names the option
        return hub::kExitUsage;
    }

    if (serve_command->parsed()) return hub::run_serve(serve, std::cout, std::cerr);
    if (add_command->parsed()) return hub::run_kiosk_add(kiosk_add, std::cout, std::cerr);
    if (list_command->parsed()) return hub::run_kiosk_list(list_database, list_json, std::cout, std::cerr);
    if (revoke_command->parsed()) return hub::run_kiosk_revoke(revoke_kiosk_id, revoke_database, std::cout, std::cerr);
    if (rotate_command->parsed()) {
        return hub::run_kiosk_rotate_token(rotate_kiosk_id, rotate_database, std::cout, std::cerr);
    }
    if (store_set_command->parsed()) return hub::run_store_set(store_set, std::cout, std::cerr);
    if (store_list_command->parsed()) return hub::run_store_list(store_list_database, store_list_json, std::cout, std::cerr);
    if (store_hours_command->parsed()) return hub::run_store_hours(store_hours, std::cout, std::cerr);
    if (alert_rule_set_command->parsed()) return hub::run_alert_rule_set(alert_rule_set, std::cout, std::cerr);
    if (alert_rule_list_command->parsed()) {
        return hub::run_alert_rule_list(alert_rule_list_database, alert_rule_list_json, std::cout, std::cerr);
    }
    if (user_add_command->parsed()) return hub::run_user_add(user_add, truthpoint::cli::read_secret, std::cout, std::cerr);
    if (user_list_command->parsed()) return hub::run_user_list(user_list_database, user_list_json, std::cout, std::cerr);
    if (user_remove_command->parsed()) {
        return hub::run_user_remove(user_remove_name, user_remove_database, std::cout, std::cerr);
    }
    if (user_passwd_command->parsed()) {
        return hub::run_user_passwd(user_passwd_name, user_passwd_database, truthpoint::cli::read_secret, std::cout,
                                    std::cerr);
    }
    if (db_init_command->parsed()) return hub::run_database_init(db_init_database, std::cout, std::cerr);
    if (db_copy_command->parsed()) return hub::run_database_copy(db_copy, std::cout, std::cerr);
    if (webhook_add_command->parsed()) return hub::run_webhook_add(webhook_add, std::cout, std::cerr);
    if (webhook_list_command->parsed()) {
        return hub::run_webhook_list(webhook_list_database, webhook_list_json, std::cout, std::cerr);
    }
    if (webhook_remove_command->parsed()) {
        return hub::run_webhook_remove(webhook_remove_name, webhook_remove_database, std::cout, std::cerr);
    }
    if (webhook_test_command->parsed()) {
        return hub::run_webhook_test(webhook_test_name, webhook_test_database, std::cout, std::cerr);
    }
    if (pos_add_command->parsed()) return hub::run_pos_add(pos_add, std::cout, std::cerr);
    if (pos_list_command->parsed()) return hub::run_pos_list(pos_list_database, std::cout, std::cerr);
    if (pos_revoke_command->parsed()) return hub::run_pos_revoke(pos_revoke_id, pos_revoke_database, std::cout, std::cerr);
    if (import_command->parsed()) return hub::run_receipts_import(receipts_import, std::cout, std::cerr);
    if (export_command->parsed()) return hub::run_export(export_arguments, std::cout, std::cerr);
    if (config_set_command->parsed()) return hub::run_config_set(config_set, std::cin, std::cout, std::cerr);
    if (config_show_command->parsed()) return hub::run_config_show(config_show, std::cout, std::cerr);
    if (receipt_key_show_command->parsed()) return hub::run_receipt_key_show(receipt_key_database, std::cout, std::cerr);
    if (receipt_key_rotate_command->parsed()) {
        return hub::run_receipt_key_rotate(receipt_key_database, receipt_key_kiosks_days, std::cout, std::cerr);
    }
    return hub::kExitUsage;
}
