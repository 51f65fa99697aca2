// APIErrorTests: every error shape of ENDPOINTS.md section 0.4, from real body strings, parsed
// into its kind with an actionable description; and odd bodies (HTML, XML, text, empty,
// truncated JSON, JSON that is not an object) that must never crash the parser.

import XCTest
@testable import ScalewayAPI

final class APIErrorTests: XCTestCase {
    private func parse(_ status: Int, _ body: String, method: String = "GET", path: String = "/x", headers: [String: String] = [:]) -> APIError {
        APIError(status: status, body: Array(body.utf8), method: method, path: path, headers: headers)
    }

    func testInvalidArguments() {
        let e = parse(400, #"{"details":[{"argument_name":"subnets","help_message":"must be a CIDR","reason":"format"}],"message":"invalid argument(s)","type":"invalid_arguments"}"#,
                      method: "POST", path: "/vpc/v2/regions/fr-par/private-networks")
        XCTAssertEqual(e.kind, .invalidArguments([.init(argumentName: "subnets", reason: "format", helpMessage: "must be a CIDR")]))
        XCTAssertEqual(e.description, "POST /vpc/v2/regions/fr-par/private-networks: invalid argument subnets: format (must be a CIDR)")
        XCTAssertEqual(e.message, "invalid argument(s)")
        XCTAssertFalse(e.isNotFound)
    }

    func testInvalidArgumentsSeveral() {
        let e = parse(400, #"{"details":[{"argument_name":"name","reason":"required"},{"argument_name":"reverse","reason":"constraint","help_message":"the reverse does not resolve to the IP"}],"message":"invalid argument(s)","type":"invalid_arguments"}"#)
        XCTAssertEqual(e.description, "GET /x: invalid arguments name: required; reverse: constraint (the reverse does not resolve to the IP)")
    }

    func testInvalidRequestLegacyMessage() {
        let e = parse(400, #"{"message":"server should be running","type":"invalid_request_error"}"#, method: "POST", path: "/instance/v1/zones/fr-par-1/servers/1/action")
        XCTAssertEqual(e.kind, .invalidRequest(fields: [:], resource: nil))
        XCTAssertTrue(e.description.contains("server should be running"))
        XCTAssertFalse(e.isQuotaExceeded)
    }

    func testInvalidRequestFields() {
        let e = parse(400, #"{"fields":{"name":["name is too long"],"tags":"bad tag"},"message":"Validation Error","type":"invalid_request_error"}"#)
        XCTAssertEqual(e.kind, .invalidRequest(fields: ["name": ["name is too long"], "tags": ["bad tag"]], resource: nil))
        XCTAssertTrue(e.description.contains("name: name is too long"), e.description)
    }

    func testInvalidRequestQuota() {
        let e = parse(403, #"{"message":"Quota exceeded for this resource.","resource":"compute_snapshots_type_b_ssd_available","type":"invalid_request_error"}"#)
        XCTAssertEqual(e.kind, .invalidRequest(fields: [:], resource: "compute_snapshots_type_b_ssd_available"))
        XCTAssertTrue(e.isQuotaExceeded)
        XCTAssertTrue(e.description.contains("quota exceeded for compute_snapshots_type_b_ssd_available"), e.description)
    }

    func testDeniedAuthentication() {
        let e = parse(401, #"{"message":"authentication is denied","method":"api_key","reason":"not_found","type":"denied_authentication"}"#)
        XCTAssertEqual(e.kind, .deniedAuthentication(method: "api_key", reason: "not_found"))
        XCTAssertTrue(e.description.contains("secret_key"), "401 should say which key to check: \(e.description)")
        let expired = parse(401, #"{"message":"authentication is denied","method":"api_key","reason":"expired","type":"denied_authentication"}"#)
        XCTAssertTrue(expired.description.contains("expired"))
        let jwt = parse(401, #"{"message":"authentication is denied","method":"jwt","reason":"invalid_argument","type":"denied_authentication"}"#)
        XCTAssertEqual(jwt.kind, .deniedAuthentication(method: "jwt", reason: "invalid_argument"))
    }

    func testPermissionsDenied() {
        let e = parse(403, #"{"details":[{"action":"read","resource":"flexible-ip"}],"message":"insufficient permissions","type":"permissions_denied"}"#,
                      path: "/instance/v1/zones/fr-par-1/ips")
        XCTAssertEqual(e.kind, .permissionsDenied([.init(resource: "flexible-ip", action: "read")]))
        XCTAssertTrue(e.description.contains("may not read flexible-ip"), e.description)
        XCTAssertTrue(e.description.contains("IAM policy"), e.description)
    }

    func testQuotasExceeded() {
        let e = parse(403, #"{"details":[{"current":10,"quota":10,"resource":"instances_pro2_s_servers"}],"message":"quota(s) exceeded for this resource","type":"quotas_exceeded"}"#)
        XCTAssertEqual(e.kind, .quotasExceeded([.init(resource: "instances_pro2_s_servers", quota: 10, current: 10)]))
        XCTAssertTrue(e.isQuotaExceeded)
        XCTAssertTrue(e.description.contains("instances_pro2_s_servers (10 of 10 used)"), e.description)
    }

    func testNotFoundRecorded() {
        let e = parse(404, #"{"message":"resource is not found","resource":"vpc","resource_id":"326abf03-dfa1-4cb2-8fe5-9b5463490fcd","type":"not_found"}"#,
                      path: "/vpc/v2/regions/fr-par/vpcs/326abf03-dfa1-4cb2-8fe5-9b5463490fcd")
        XCTAssertEqual(e.kind, .notFound(resource: "vpc", resourceID: "326abf03-dfa1-4cb2-8fe5-9b5463490fcd"))
        XCTAssertTrue(e.isNotFound)
        XCTAssertEqual(e.description, "GET /vpc/v2/regions/fr-par/vpcs/326abf03-dfa1-4cb2-8fe5-9b5463490fcd: vpc 326abf03-dfa1-4cb2-8fe5-9b5463490fcd not found")
    }

    func testUnknownResourceLegacy() {
        let e = parse(404, #"{"message":"\"6f1f5b8e-0000-4000-8000-000000000000\" not found","type":"unknown_resource"}"#)
        XCTAssertEqual(e.kind, .unknownResource)
        XCTAssertTrue(e.isNotFound)
        XCTAssertTrue(e.description.contains("not found"))
    }

    func testUntyped404sAreNotFound() {
        for body in [#"{"message":"lbs not Found"}"#, #"{"message":"Namespace was not found"}"#] {
            let e = parse(404, body)
            XCTAssertEqual(e.kind, .notFound(resource: nil, resourceID: nil))
            XCTAssertTrue(e.isNotFound)
            XCTAssertTrue(e.description.contains(e.message))
        }
    }

    func testTransientState() {
        let e = parse(409, #"{"current_state":"updating","message":"resource is in a transient state","resource":"group","resource_id":"b4b8a4b2-0000-4000-8000-000000000000","type":"transient_state"}"#)
        XCTAssertEqual(e.kind, .transientState(resource: "group", resourceID: "b4b8a4b2-0000-4000-8000-000000000000", currentState: "updating"))
        XCTAssertTrue(e.isTransientState)
        XCTAssertTrue(e.description.contains("state updating"), e.description)
    }

    func testAlreadyExists() {
        let e = parse(409, #"{"help_message":"choose another name","message":"resource already exists","resource":"namespace","resource_id":"abc","type":"already_exists"}"#)
        XCTAssertEqual(e.kind, .alreadyExists(resource: "namespace", resourceID: "abc", helpMessage: "choose another name"))
        XCTAssertTrue(e.description.contains("namespace abc already exists (choose another name)"), e.description)
    }

    func testConflictLegacyAndUntyped() {
        let sg = parse(409, #"{"message":"Group is in use. You cannot delete it.","type":"conflict"}"#, method: "DELETE")
        XCTAssertEqual(sg.kind, .conflict)
        XCTAssertTrue(sg.description.contains("Group is in use. You cannot delete it."))
        let rdb = parse(409, #"{"message":"Tuple concurrently updated"}"#)
        XCTAssertEqual(rdb.kind, .conflict)
        XCTAssertTrue(rdb.description.contains("Tuple concurrently updated"))
    }

    func testResourceExpired() {
        let e = parse(410, #"{"expired_since":"2026-01-01T00:00:00Z","message":"resource has expired","resource":"token","resource_id":"t1","type":"resource_expired"}"#)
        XCTAssertEqual(e.kind, .resourceExpired(resource: "token", resourceID: "t1", expiredSince: "2026-01-01T00:00:00Z"))
        XCTAssertTrue(e.description.contains("since 2026-01-01T00:00:00Z"))
    }

    func testPreconditionFailed() {
        let e = parse(412, #"{"help_message":"remove the protection first","message":"precondition is not respected","precondition":"protected_resource","type":"precondition_failed"}"#)
        XCTAssertEqual(e.kind, .preconditionFailed(precondition: "protected_resource", helpMessage: "remove the protection first"))
        XCTAssertTrue(e.isPreconditionFailed)
        XCTAssertTrue(e.description.contains("protected"), e.description)
        let inUse = parse(412, #"{"message":"precondition is not respected","precondition":"resource_still_in_use","type":"precondition_failed"}"#)
        XCTAssertTrue(inUse.description.contains("still in use"), inUse.description)
    }

    func testLocked() {
        let e = parse(423, #"{"message":"resource is locked","resource":"instance_server","resource_id":"s1","type":"locked"}"#)
        XCTAssertEqual(e.kind, .locked(resource: "instance_server", resourceID: "s1"))
        XCTAssertTrue(e.description.contains("instance_server s1 is locked"))
        // Status not observed: the type decides whatever the status.
        XCTAssertEqual(parse(403, #"{"message":"locked","resource":"x","resource_id":"y","type":"locked"}"#).kind, .locked(resource: "x", resourceID: "y"))
    }

    func testRateLimitedEmptyBody() {
        let e = parse(429, "", headers: ["Retry-After": "3"])
        XCTAssertEqual(e.kind, .rateLimited)
        XCTAssertEqual(e.retryAfter, 3)
        XCTAssertEqual(e.message, "Too Many Requests")
        XCTAssertTrue(e.description.contains("429"))
    }

    func testServerErrors() {
        XCTAssertEqual(parse(500, #"{"message":"internal error","type":"internal_error"}"#).kind, .server)
        XCTAssertEqual(parse(503, "").kind, .server)
        let html = parse(502, "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>")
        XCTAssertEqual(html.kind, .server)
        XCTAssertEqual(html.message, "Bad Gateway (HTML page: 502 Bad Gateway)")
        XCTAssertEqual(html.description, "GET /x: server error (HTTP 502): Bad Gateway (HTML page: 502 Bad Gateway)")
    }

    func testUnknownType() {
        let e = parse(400, #"{"message":"something new","type":"brand_new_error"}"#)
        XCTAssertEqual(e.kind, .unknown(type: "brand_new_error"))
        XCTAssertTrue(e.description.contains("brand_new_error"))
        XCTAssertTrue(e.description.contains("something new"))
    }

    func testS3XMLBody() {
        let e = parse(404, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message><RequestId>tx1</RequestId><Resource>/b</Resource></Error>")
        XCTAssertTrue(e.isNotFound)
        XCTAssertEqual(e.message, "NoSuchBucket: The specified bucket does not exist")
    }

    func testGarbageBodiesNeverCrash() {
        let bodies: [[UInt8]] = [
            [], Array("   \n".utf8), Array("{".utf8), Array(#"{"type":"not_found","resource":12}"#.utf8), Array("[1,2,3]".utf8),
            Array("\"just a string\"".utf8), Array("null".utf8), Array("<html>".utf8), [0xFF, 0xFE, 0x00, 0x80],
            Array(#"{"type":5,"message":["a"],"details":"nope","fields":[1]}"#.utf8),
            Array(#"{"type":"invalid_arguments","details":[1,{"reason":"x"},{"argument_name":7}]}"#.utf8),
            Array(#"{"type":"invalid_request_error","fields":{"a":[1,null],"b":{}}}"#.utf8),
            Array(#"{"type":"quotas_exceeded","details":[{"quota":"ten"}]}"#.utf8),
            Array(String(repeating: "x", count: 10_000).utf8),
            Array(String(repeating: "[", count: 5_000).utf8),
        ]
        for status in [400, 401, 403, 404, 409, 410, 412, 418, 429, 500, 502] {
            for body in bodies {
                let e = APIError(status: status, body: body, method: "GET", path: "/p")
                XCTAssertEqual(e.status, status)
                XCTAssertTrue(e.description.hasPrefix("GET /p: "))
                XCTAssertLessThan(e.description.count, 1_000)
            }
        }
        XCTAssertEqual(parse(404, #"{"type":"not_found","resource":12}"#).kind, .notFound(resource: nil, resourceID: nil))
        XCTAssertEqual(parse(418, "I'm a teapot\nsecond line").message, "I'm a teapot")
    }
}
