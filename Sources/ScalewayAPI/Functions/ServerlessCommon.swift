// What the serverless clients share: secret environment variables in the two wire shapes
// (Functions v1beta1 lists `[{key, value}]`, Containers v1 maps), the keys a read returns
// (values come back hashed, never in clear), and the raw upload of code to a URL the API
// hands out (absolute, outside the API host), retried like any idempotent PUT.

import ScwCore

public enum ServerlessSecrets {
    /// `[{key, value}]` (v1beta1), sorted by key; a nil value removes the variable in a PATCH.
    /// Values stay secrets inside the Value until the client sends them.
    public static func list(_ pairs: [(key: String, value: Value?)]) -> Value {
        .list(pairs.sorted { $0.key < $1.key }.map { .map(["key": .string($0.key), "value": $0.value ?? .null]) })
    }

    /// The keys of a read `secret_environment_variables`: `[{key, hashed_value}]` or `{key: hash}`.
    public static func keys(_ value: Value?) -> [String] {
        switch value {
        case .list(let items)?: return items.compactMap { $0["key"]?.stringValue }.sorted()
        case .map(let m)?: return m.keys.sorted()
        default: return []
        }
    }
}

extension ScalewayClient {
    /// PUTs `body` to an absolute URL (a code upload URL), with `headers` plus the auth token
    /// and user agent; retried on 429/5xx and lost connections (a PUT is idempotent).
    public func upload(to url: String, headers: [(String, String)], body: [UInt8]) async throws {
        var all: [(String, String)] = [("X-Auth-Token", config.secretKey), ("User-Agent", userAgent)]
        all += headers.filter { $0.0.lowercased() != "x-auth-token" }
        let request = HTTPRequest(method: "PUT", url: url, headers: all, body: body, timeout: max(timeout, 300))
        let path = url.split(separator: "?").first.map(String.init) ?? url
        let shown = path.range(of: "://").map { String(path[$0.upperBound...].drop { $0 != "/" }) } ?? path
        _ = try await RetryLoop(policy: retry, log: log).run(
            method: "PUT", path: shown, idempotent: true, transport: transport, request: { _ in request },
            readError: { response, _ in
                .init(error: APIError(status: response.status, body: response.body, method: "PUT", path: shown, headers: response.headers))
            })
    }
}
