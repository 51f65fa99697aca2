// BucketNormalizeTests: what the Bucket resource decides before any call: the generated name,
// name rules, defaults, the visibility alias, reserved tags, CORS and lifecycle checks; and,
// with scripted answers, that a create whose configuration is refused leaves nothing behind.

import Foundation
import XCTest
import ScalewayAPI
import ScwCore
import ScwEngine
@testable import ScwResources

final class BucketNormalizeTests: XCTestCase {
    private let project = "951df375-e094-4d26-97c1-ba548eeb9c42"

    private func provider(_ transport: any HTTPTransport = Answers([])) -> BucketResource {
        let config = ScalewayConfig(accessKey: "SCWXXXXXXXXXXXXXXXXX", secretKey: "s", defaultProjectID: project)
        let client = ScalewayClient(config: config, transport: transport, retry: .testing)
        return BucketResource(env: ScalewayEnvironment(client: client, defaultProjectID: project, defaultRegion: "fr-par", defaultZone: "fr-par-1"))
    }

    private func context(_ name: String = "assets", stack: String = "prod") -> ProviderContext {
        ProviderContext(stack: stack, address: ResourceAddress(type: "Bucket", name: name))
    }

    private func assertDiagnostic(_ inputs: [String: Value], _ fragment: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try provider().normalize(inputs, context: context()), file: file, line: line) { error in
            let d = error as? Diagnostic
            XCTAssertTrue(d?.message.contains(fragment) ?? false, "\(error)", file: file, line: line)
            XCTAssertEqual(d?.place, .resource(ResourceAddress(type: "Bucket", name: "assets")), file: file, line: line)
        }
    }

    func testGeneratedNameIsDeterministicValidAndShort() throws {
        let a = try provider().normalize([:], context: context())
        let name = try XCTUnwrap(a["name"]?.stringValue)
        XCTAssertEqual(name, BucketResource.generatedName(stack: "prod", resource: "assets", project: project, region: "fr-par"))
        XCTAssertTrue(name.hasPrefix("scwlua-prod-assets-"), name)
        XCTAssertEqual(name.count, "scwlua-prod-assets-".count + 8)
        XCTAssertEqual(try provider().normalize([:], context: context())["name"], a["name"], "the same on every run")
        XCTAssertNotEqual(try provider().normalize(["region": .string("nl-ams")], context: context())["name"], a["name"])
        XCTAssertNotEqual(try provider().normalize([:], context: context(stack: "dev"))["name"], a["name"])
        XCTAssertNotEqual(try provider().normalize([:], context: context("logs"))["name"], a["name"])

        let long = BucketResource.generatedName(stack: "A Very_Long Stack Name With Ünicode " + String(repeating: "x", count: 80),
                                                resource: "My.Resource--Name_" + String(repeating: "y", count: 80), project: project, region: "fr-par")
        XCTAssertLessThanOrEqual(long.count, 63)
        XCTAssertNil(BucketResource.nameProblem(long), long)
        XCTAssertTrue(long.hasPrefix("scwlua-a-very-long-stack-name-my-resource-name-"), long)   // both parts cut
        XCTAssertNil(BucketResource.nameProblem(BucketResource.generatedName(stack: "---", resource: "_", project: "p", region: "r")))
    }

    func testNameWaitsForAnUnknownRegion() throws {
        let out = try provider().normalize(["region": .unknown], context: context())
        XCTAssertEqual(out["name"], .unknown)
    }

    func testDefaultsAndAlias() throws {
        let out = try provider().normalize(["visibility": .string("public-read")], context: context())
        XCTAssertEqual(out["acl"], .string("public-read"))
        XCTAssertNil(out["visibility"])
        XCTAssertEqual(out["region"], .string("fr-par"))
        XCTAssertEqual(out["project_id"], .string(project))
        XCTAssertEqual(out["versioning"], .bool(false))
        XCTAssertEqual(out["force_destroy"], .bool(false))
        XCTAssertEqual(out["tags"], .map([:]))
        XCTAssertEqual(out["cors_rules"], .list([]))
        XCTAssertEqual(out["lifecycle_rules"], .list([]))
        XCTAssertEqual(try provider().normalize([:], context: context())["acl"], .string("private"))
        assertDiagnostic(["acl": .string("private"), "visibility": .string("public-read")], "disagree")
    }

    func testBadNamesAreRefusedBeforeAnyCall() {
        for (name, problem) in [("ab", "3 to 63"), ("Upper", "lowercase"), ("-dash", "start and end"), ("a..b", "dot next to"),
                                ("192.168.1.1", "IP address"), ("under_score", "lowercase"), (String(repeating: "a", count: 64), "3 to 63")] {
            assertDiagnostic(["name": .string(name)], problem)
        }
        XCTAssertNoThrow(try provider().normalize(["name": .string("my.bucket-01")], context: context()))
    }

    func testTagsCORSAndLifecycleChecks() throws {
        assertDiagnostic(["tags": .map(["scwlua:urn": .string("x")])], "reserved prefix")
        assertDiagnostic(["cors_rules": .list([.map(["allowed_methods": .list([]), "allowed_origins": .list([.string("*")])])])], "allowed_methods")
        assertDiagnostic(["lifecycle_rules": .list([.map(["prefix": .string("a/")])])], "does nothing")
        assertDiagnostic(["lifecycle_rules": .list([.map(["expiration_days": .int(0)])])], "1 or more")
        assertDiagnostic(["lifecycle_rules": .list([.map(["id": .string("x"), "expiration_days": .int(1)]),
                                                    .map(["id": .string("x"), "expiration_days": .int(2)])])], "same id")
        let out = try provider().normalize([
            "cors_rules": .list([.map(["allowed_methods": .list([.string("get")]), "allowed_origins": .list([.string("*")])])]),
            "lifecycle_rules": .list([.map(["expiration_days": .int(3)])]),
        ], context: context())
        XCTAssertEqual(out["cors_rules"], .list([.map(["allowed_methods": .list([.string("GET")]), "allowed_origins": .list([.string("*")]),
                                                      "allowed_headers": .list([]), "expose_headers": .list([])])]))
        XCTAssertEqual(out["lifecycle_rules"], .list([.map(["id": .string("rule-1"), "prefix": .string(""), "enabled": .bool(true),
                                                           "expiration_days": .int(3), "transitions": .list([])])]))
    }

    func testSchema() {
        let schema = BucketResource.schema
        XCTAssertEqual(schema.typeName, "Bucket")
        for prop in ["name", "region", "project_id"] { XCTAssertEqual(schema.prop(prop)?.change, .replace, prop) }
        for prop in ["acl", "versioning", "tags", "cors_rules", "lifecycle_rules", "force_destroy"] { XCTAssertEqual(schema.prop(prop)?.change, .inPlace, prop) }
        for output in ["name", "endpoint", "api_endpoint", "region"] { XCTAssertNotNil(schema.output(output), output) }
        XCTAssertTrue(Providers.schemas.contains { $0.typeName == "Bucket" })
    }

    func testOutputs() {
        let out = provider().outputs(S3Bucket(name: "b", region: "nl-ams", projectID: project))
        XCTAssertEqual(out["endpoint"], .string("https://b.s3.nl-ams.scw.cloud"))
        XCTAssertEqual(out["api_endpoint"], .string("https://s3.nl-ams.scw.cloud"))
        XCTAssertEqual(out["id"], .string("nl-ams/b"))
    }

    func testConfigurationRefusedDeletesTheNewBucket() async throws {
        let answers = Answers([
            (200, ""),                                                                          // CreateBucket
            (200, ""),                                                                          // PutBucketTagging (pending)
            (400, "<Error><Code>MalformedACLError</Code><Message>bad</Message></Error>"),       // PutBucketAcl
            (204, ""),                                                                          // DeleteBucket
        ])
        let p = provider(answers)
        let inputs = try p.normalize(["name": .string("scwlua-rollback")], context: context())
        do {
            _ = try await p.create(inputs, context: context())
            XCTFail("expected the create to be refused")
        } catch let error as CreateRefusedError {
            XCTAssertTrue(error.description.contains("MalformedACLError"), error.description)
            XCTAssertTrue(error.description.contains("was deleted again"), error.description)
        }
        XCTAssertEqual(answers.sent, ["PUT /", "PUT /?tagging", "PUT /?acl", "DELETE /"])
        XCTAssertTrue(answers.urls[0].hasPrefix("https://scwlua-rollback.s3.fr-par.scw.cloud/"))
    }

    func testNameTakenByAnotherCustomerIsARefusal() async throws {
        let answers = Answers([(409, "<Error><Code>BucketAlreadyExists</Code><Message>taken</Message><Resource>/scwlua-taken</Resource></Error>")])
        let p = provider(answers)
        let inputs = try p.normalize(["name": .string("scwlua-taken")], context: context())
        do {
            _ = try await p.create(inputs, context: context())
            XCTFail("expected a refusal")
        } catch let error as CreateRefusedError {
            XCTAssertTrue(error.description.contains("already taken"), error.description)
        }
    }
}

/// Plays fixed answers in order and records `METHOD /path?query` of each request.
final class Answers: HTTPTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var queue: [(Int, String)]
    private(set) var sent: [String] = []
    private(set) var urls: [String] = []

    init(_ answers: [(Int, String)]) { queue = answers }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let next: (Int, String)? = lock.withLock {
            var rest = request.url
            if let r = rest.range(of: "://") { rest = String(rest[r.upperBound...]) }
            let path = rest.firstIndex(of: "/").map { String(rest[$0...]) } ?? "/"
            sent.append("\(request.method) \(path)")
            urls.append(request.url)
            return queue.isEmpty ? nil : queue.removeFirst()
        }
        guard let next else { throw TransportError.notSent("no answer scripted") }
        return HTTPResponse(status: next.0, body: Array(next.1.utf8))
    }
}
