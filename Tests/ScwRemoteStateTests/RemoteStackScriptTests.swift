// RemoteStackScriptTests: with state in a bucket, a stack remembers its script as local state
// does (`<prefix>/<stack>/script.json`), so a second script is refused on the first one's stack.

import Foundation
import ScwTestSupport
import XCTest

final class RemoteStackScriptTests: RemoteCLICase {
    func testASecondScriptIsRefusedOnARemoteStack() async throws {
        try startEmulator()
        let bucket = try await newBucket()
        let backend = "s3://\(bucket)/team"
        try "local scw = require \"scaleway\"\nscw.Vpc \"main\" {}\n".write(toFile: dir + "/infra.lua", atomically: true, encoding: .utf8)
        try "local scw = require \"scaleway\"\nscw.Vpc \"solo\" {}\n".write(toFile: dir + "/other.lua", atomically: true, encoding: .utf8)
        expectSuccess(try deploy(backend), "deploy infra.lua")
        let record = await object(bucket, "team/default/script.json")
        XCTAssertTrue(record?.contains("\"script\":\"../infra.lua\"") == true, record ?? "no script.json")

        let r = expectFailure(try scwlua(["plan", "other.lua"] + target(backend)), "other.lua on infra.lua's remote stack")
        XCTAssertTrue(r.stderr.contains("stack 'default' was deployed from infra.lua, not other.lua"), r.description)
        expectSuccess(try scwlua(["plan", "other.lua", "--adopt-stack"] + target(backend)), "plan --adopt-stack")
    }
}
