// The issue's serverless script declares as written: `namespace = ns` and `function_id = fn`
// reach namespace_id and function_id as references, `reg.endpoint .. "/web:1.4.2"` is a derived
// image reference, secret environment variables stay secrets, the health check is a table,
// and a wrong prop or value is refused at the script line.

import XCTest
import ScwCore
import ScwEngine
import ScwResources
@testable import ScwScript

final class ServerlessDeclarationTests: XCTestCase {
    func testTheIssueScriptDeclaresWithAliasesAndSecrets() throws {
        let (_, program) = try runScript("""
        local scw = require "scaleway"
        local ns = scw.FunctionNamespace "api" {
          environment_variables = { LOG_LEVEL = "info" },
          secret_environment_variables = { API_TOKEN = scw.secret("tok") },
        }
        local fn = scw.Function "hello" {
          namespace = ns, runtime = "node22", handler = "handler.handle", privacy = "public",
          source = "./functions/hello",
          min_scale = 0, max_scale = 5, memory_limit = 256, timeout = "30s", http_option = "redirected",
        }
        scw.FunctionCron "nightly" { function_id = fn, schedule = "0 3 * * *", args = { job = "cleanup" } }
        local reg = scw.RegistryNamespace "apps" { is_public = false }
        local cns = scw.ContainerNamespace "web" {}
        local app = scw.Container "web" {
          namespace = cns, registry_image = reg.endpoint .. "/web:1.4.2", port = 8080,
          cpu_limit = 1000, memory_limit = 2048, min_scale = 1, max_scale = 10, privacy = "public",
          protocol = "http1", http_option = "redirected",
          health_check = { http = { path = "/healthz" }, failure_threshold = 3, interval = "10s" },
          secret_environment_variables = { DATABASE_URL = scw.secret("postgres://u:pw@db/app") },
        }
        return { fn_url = "https://" .. fn.domain_name, app_url = "https://" .. app.domain_name }
        """)
        let byAddress = Dictionary(uniqueKeysWithValues: program.declarations.map { ($0.address.description, $0) })
        func ref(_ type: String, _ name: String, _ key: String = "id") -> Value {
            .ref(OutputRef(address: ResourceAddress(type: type, name: name), path: [.key(key)]))
        }
        XCTAssertEqual(byAddress["Function/hello"]?.props["namespace_id"], ref("FunctionNamespace", "api"))
        XCTAssertEqual(byAddress["FunctionCron/nightly"]?.props["function_id"], ref("Function", "hello"))
        XCTAssertEqual(byAddress["Container/web"]?.props["namespace_id"], ref("ContainerNamespace", "web"))
        XCTAssertEqual(byAddress["Container/web"]?.props["registry_image"], .concat([ref("RegistryNamespace", "apps", "endpoint"), .string("/web:1.4.2")]))
        XCTAssertTrue(byAddress["FunctionNamespace/api"]?.props["secret_environment_variables"]?.isSensitive ?? false)
        XCTAssertTrue(byAddress["Container/web"]?.props["secret_environment_variables"]?.isSensitive ?? false)
        XCTAssertEqual(byAddress["Container/web"]?.props["health_check"]?["http"]?["path"], .string("/healthz"))
        XCTAssertEqual(Set(byAddress["Container/web"]?.dependencies.map(\.description) ?? []), ["ContainerNamespace/web", "RegistryNamespace/apps"])
    }

    func testWrongValuesAreRefusedAtTheScriptLine() {
        let privacy = scriptError("""
        local scw = require "scaleway"
        scw.Function "f" { namespace_id = "fr-par/11111111-1111-4111-8111-111111111111", runtime = "node22", privacy = "open" }
        """)
        XCTAssertTrue(privacy.contains("'privacy' cannot be 'open'"), privacy)
        let proto = scriptError("""
        local scw = require "scaleway"
        scw.Container "c" { namespace_id = "fr-par/11111111-1111-4111-8111-111111111111", registry_image = "nginx", protocol = "http3" }
        """)
        XCTAssertTrue(proto.contains("'protocol' cannot be 'http3'"), proto)
    }
}
