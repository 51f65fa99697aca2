// EndpointTests: endpoints that do what they say, through the built binary: a profile's
// `api_url` takes Object Storage along (and `--debug` names the host of every call); the
// emulator's banner gives its S3 endpoint and key pair; `--local` keeps a bucket's endpoint
// between runs; a script that is not a regular file is refused before anything is written.

import Foundation
import ScwTestSupport
import XCTest

final class EndpointTests: IntegrationCase {
    func testAProfilesAPIURLTakesObjectStorageAlong() throws {
        try startCloud()
        let configPath = dir + "/home/scw.yaml"
        try """
            profiles:
              emu:
                access_key: SCWLOCALEMULATOR0000
                secret_key: 00000000-0000-4000-8000-00000000e0e0
                default_project_id: 11111111-1111-4111-8111-111111111111
                api_url: \(cloud.baseURL)
            """.write(toFile: configPath, atomically: true, encoding: .utf8)
        var env = environment
        env["SCW_CONFIG_PATH"] = configPath
        let bucket = "profile-\(UUID().uuidString.prefix(8).lowercased())"
        try writeScript("local scw = require \"scaleway\"\nlocal b = scw.Bucket \"data\" { name = \"\(bucket)\" }\nreturn { endpoint = b.endpoint }\n")
        let r = expectSuccess(try scwlua(["deploy", "infra.lua", "--yes", "--profile", "emu", "--debug"] + location, env: env),
                              "deploy a bucket with a profile whose api_url is the emulator")
        XCTAssertTrue(try cloud.resources().contains { $0.kind == "bucket" }, "the bucket is in the emulator: \(r)")
        let host = cloud.baseURL.replacingOccurrences(of: "http://", with: "")
        XCTAssertTrue(r.stderr.contains("api: PUT \(host)/\(bucket)"), "--debug names the host: \(r.stderr)")
        XCTAssertFalse(r.combined.contains("scw.cloud"), r.description)
        XCTAssertTrue(r.stdout.contains("endpoint = \"\(cloud.baseURL)/\(bucket)\""), r.description)
    }

    func testTheEmulatorBannerNamesItsS3EndpointAndKeys() throws {
        let server = try CLI.start(["emulator", "--port", "0"], in: dir, environment: environment)
        defer { _ = server.kill() }
        let deadline = Date().addingTimeInterval(20)
        var text = ""
        while Date() < deadline, server.isRunning, !text.contains("control API") {
            text = (try? String(contentsOfFile: server.outPath, encoding: .utf8)) ?? ""
            usleep(20_000)
        }
        let url = try XCTUnwrap(text.range(of: "listening on ").map { String(text[$0.upperBound...].prefix { !$0.isWhitespace }) }, text)
        XCTAssertTrue(text.contains("Object Storage (S3): \(url)"), text)
        XCTAssertTrue(text.contains("SCW_ACCESS_KEY=SCWLOCALEMULATOR0000 SCW_SECRET_KEY=00000000-0000-4000-8000-00000000e0e0"), text)
    }

    func testLocalKeepsABucketsEndpointBetweenRuns() throws {
        try writeScript("local scw = require \"scaleway\"\nlocal b = scw.Bucket \"data\" { name = \"local-data\" }\nreturn { endpoint = b.endpoint }\n")
        let first = expectSuccess(try scwlua(["deploy", "infra.lua", "--local", "--yes"]), "first --local deploy")
        let endpoint = try XCTUnwrap(first.stdout.range(of: "endpoint = ", options: .backwards).map { String(first.stdout[$0.upperBound...].prefix { $0 != "\n" }) }, first.stdout)
        let plan = expectSuccess(try scwlua(["plan", "infra.lua", "--local"]), "plan")
        XCTAssertTrue(plan.stdout.contains("No changes") && plan.stdout.contains("endpoint = \(endpoint)"), "plan and output agree: \(plan)")
        let second = expectSuccess(try scwlua(["deploy", "infra.lua", "--local", "--yes"]), "second --local deploy")
        XCTAssertTrue(endpoint.hasPrefix("\"http://127.0.0.1:"), endpoint)
        XCTAssertTrue(second.stdout.contains("endpoint = \(endpoint)"), "the endpoint is the same: \(endpoint) vs \(second.stdout)")
        let output = expectSuccess(try scwlua(["output", "endpoint", "--raw", "--state-dir", dir + "/.scwlua"]), "output endpoint")
        XCTAssertEqual("\"" + output.stdout.trimmingCharacters(in: .whitespacesAndNewlines) + "\"", endpoint)
    }

    func testAScriptThatIsNotARegularFileIsRefusedBeforeAnyWrite() throws {
        let pipe = dir + "/pipe.lua"
        XCTAssertEqual(mkfifo(pipe, 0o600), 0)
        for args in [["destroy", "--local", "pipe.lua", "--yes"], ["deploy", "--local", dir + "/home", "--yes"], ["plan", "--local", "/dev/null"]] {
            let r = expectFailure(try scwlua(args), args.joined(separator: " "))
            XCTAssertTrue(r.stderr.contains("is not a regular file"), r.description)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/.scwlua"), "no state folder beside the pipe")
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir + "/home/.scwlua"))
    }
}
