// The issue's database script declares as written: `instance = db`, `user = svc` and
// `database = app` reach instance_id, user_name and database_name as references, passwords stay
// secrets, and a secret joined with `..` is a derived value that still holds the secret.

import XCTest
import ScwCore
import ScwEngine
import ScwResources
@testable import ScwScript

final class RdbDeclarationTests: XCTestCase {
    func testTheIssueScriptDeclaresWithShortAliasesAndSecrets() throws {
        let (_, program) = try runScript("""
        local scw = require "scaleway"
        local pn = scw.VpcPrivateNetwork "data" { subnets = { "10.20.0.0/24" } }
        local db = scw.RdbInstance "main" {
          engine = "PostgreSQL-16", node_type = "DB-DEV-S",
          user_name = "admin", password = scw.secret("Adm1n_pa55word!"),
          is_ha_cluster = false, volume_type = "sbs_5k", volume_size_in_gb = 20,
          backup_schedule_frequency = 24, backup_schedule_retention = 7,
          settings = { max_connections = "200" },
          private_network = { pn_id = pn, enable_ipam = true },
          tags = { "env:prod" },
        }
        local app = scw.RdbDatabase "app" { instance = db }
        local svc = scw.RdbUser "app" { instance = db, password = scw.secret("App_pa55word!") }
        scw.RdbPrivilege "app" { instance = db, user = svc, database = app, permission = "all" }
        scw.RdbAcl "office" { instance = db, rules = { { ip = "203.0.113.0/24", description = "office" } } }
        return {
          dsn = scw.format("postgres://%s@%s:%d/%s", svc.name, db.private_ip, db.private_port, app.name),
          joined = "password=" .. scw.secret("App_pa55word!"),
          shown = tostring(scw.secret("App_pa55word!")),
        }
        """)
        let byAddress = Dictionary(uniqueKeysWithValues: program.declarations.map { ($0.address.description, $0) })
        func ref(_ type: String, _ name: String) -> Value { .ref(OutputRef(address: ResourceAddress(type: type, name: name), path: [.key("id")])) }
        let privilege = try XCTUnwrap(byAddress["RdbPrivilege/app"])
        XCTAssertEqual(privilege.props["instance_id"], ref("RdbInstance", "main"))
        XCTAssertEqual(privilege.props["user_name"], ref("RdbUser", "app"))
        XCTAssertEqual(privilege.props["database_name"], ref("RdbDatabase", "app"))
        XCTAssertEqual(Set(privilege.dependencies.map(\.description)), ["RdbInstance/main", "RdbUser/app", "RdbDatabase/app"])
        XCTAssertEqual(byAddress["RdbInstance/main"]?.props["password"], .secret(.string("Adm1n_pa55word!")))
        XCTAssertEqual(byAddress["RdbUser/app"]?.props["password"], .secret(.string("App_pa55word!")))
        XCTAssertEqual(byAddress["RdbInstance/main"]?.props["private_network"]?["pn_id"], ref("VpcPrivateNetwork", "data"))
        XCTAssertEqual(program.outputs["joined"], .secret(.string("password=App_pa55word!")), "joined at once: a secret")
        XCTAssertTrue(program.outputs["joined"]?.isSensitive ?? false)
        XCTAssertEqual(program.outputs["shown"], .string("(sensitive)"))
    }

    func testAPrivilegeNeedsItsUserAndDatabase() {
        let error = scriptError("""
        local scw = require "scaleway"
        scw.RdbPrivilege "p" { instance_id = "fr-par/11111111-1111-4111-8111-111111111111", user = "app", permission = "all" }
        """)
        XCTAssertTrue(error.contains("RdbPrivilege needs 'database_name'"), error)
    }
}
