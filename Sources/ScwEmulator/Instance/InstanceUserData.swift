// Server user data: `GET .../user_data` lists the keys; `GET|PATCH|PUT|DELETE .../user_data/{key}`
// read and write one value as raw text/plain bytes (kept base64 in the server's meta, at most 1 MiB).

import Foundation

extension InstanceService {
    static let userDataLimit = 1 << 20

    private static func userData(of server: Record) -> [String: JSONValue] { server.meta["user_data"]?.objectValue ?? [:] }

    private static func checkKey(_ key: String) throws {
        let allowed = { (c: Character) in c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == "_" || c == ".") }
        guard !key.isEmpty, key.count <= 64, key.allSatisfy(allowed) else {
            throw APIError.instanceValidation("key", "\"\(key)\" is not a valid user data key (letters, digits, - _ .)")
        }
    }

    func listUserData(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let keys = try store.read { state in
            let server = try InstanceService.find(InstanceService.serverKind, request.param("id"), zone: zone, in: state)
            return InstanceService.userData(of: server).keys.sorted()
        }
        return .json(200, .object(["user_data": InstanceService.strings(keys)]))
    }

    func getUserData(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let key = request.param("key")
        let encoded = try store.read { state -> String in
            let server = try InstanceService.find(InstanceService.serverKind, request.param("id"), zone: zone, in: state)
            guard let value = InstanceService.userData(of: server)[key]?.stringValue else {
                throw APIError.notFound(resource: "instance_user_data", id: key)
            }
            return value
        }
        return HTTPResponse(status: 200, headers: [("Content-Type", "text/plain")], body: Array(Data(base64Encoded: encoded) ?? Data()))
    }

    /// The body is the value, whatever its Content-Type (text/plain as the SDK sends it) → 204.
    func setUserData(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let key = request.param("key")
        try InstanceService.checkKey(key)
        let bytes = request.http.body
        guard bytes.count <= InstanceService.userDataLimit else {
            throw APIError.instanceRequest("user data \"\(key)\" is \(bytes.count) bytes; the limit is \(InstanceService.userDataLimit)")
        }
        try store.write { state, _ in
            var server = try InstanceService.find(InstanceService.serverKind, request.param("id"), zone: zone, in: state)
            var values = InstanceService.userData(of: server)
            values[key] = .string(Data(bytes).base64EncodedString())
            server.meta["user_data"] = .object(values)
            state.put(server)
        }
        return .empty(204)
    }

    func deleteUserData(_ request: APIRequest) throws -> HTTPResponse {
        let zone = try Locality.zone(request)
        let key = request.param("key")
        try store.write { state, _ in
            var server = try InstanceService.find(InstanceService.serverKind, request.param("id"), zone: zone, in: state)
            var values = InstanceService.userData(of: server)
            guard values.removeValue(forKey: key) != nil else { throw APIError.notFound(resource: "instance_user_data", id: key) }
            server.meta["user_data"] = .object(values)
            state.put(server)
        }
        return .empty(204)
    }
}
