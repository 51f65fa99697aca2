// ScalewayConfig: the credentials and defaults a client runs with, and where each came from.
// Printing it never shows the secret key. ConfigLoader.swift builds it the way the scw CLI does.

/// Credentials, defaults and endpoints for ``ScalewayClient``.
///
/// `description` masks the secret key: safe to print or log.
public struct ScalewayConfig: Sendable, CustomStringConvertible {
    /// `SCW` and 17 capitals or digits; identifies the API key (not secret).
    public var accessKey: String
    /// Sent as `X-Auth-Token`. Never printed: see ``maskedSecretKey``.
    public var secretKey: String
    /// Where resources are created when a script names no project. Defaults to the
    /// organization ID (the default project of an organization has the same ID).
    public var defaultProjectID: String?
    /// The organization (a UUID).
    public var defaultOrganizationID: String?
    /// Region for regional APIs when a script names none (`fr-par` unless configured).
    public var defaultRegion: String
    /// Zone for zonal APIs when a script names none (`fr-par-1` unless configured).
    public var defaultZone: String
    /// Base URL of the JSON APIs, no trailing slash.
    public var apiURL: String
    /// Object Storage endpoint override (`SCW_S3_ENDPOINT`).
    public var s3Endpoint: String?
    /// Path-style bucket URLs (`s3_use_path_style`, `SCW_S3_USE_PATH_STYLE`); nil: path style
    /// exactly when `s3Endpoint` is set, virtual-host style otherwise.
    public var s3UsePathStyle: Bool?
    /// The profile used: `default`, a name under `profiles:`, or `local`.
    public var profile: String
    /// The config file that was read, if any.
    public var configPath: String?
    /// Where each value came from, by scw config key (`secret_key` → `env SCW_SECRET_KEY`).
    public var sources: [String: String]

    /// The production API.
    public static let defaultAPIURL = "https://api.scaleway.com"

    /// Where Object Storage calls go: `s3Endpoint` when set; else, when `apiURL` is not the
    /// production API (an emulator, a gateway), `apiURL` too (path style); else nil, the real
    /// `s3.<region>.scw.cloud`. An `api_url` pointing at an emulator thus never sends buckets
    /// to the real cloud.
    public var effectiveS3Endpoint: String? {
        if let s3Endpoint, !s3Endpoint.isEmpty { return s3Endpoint }
        var api = Substring(apiURL)
        while api.hasSuffix("/") { api = api.dropLast() }
        return api.isEmpty || api == Substring(Self.defaultAPIURL) ? nil : String(api)
    }

    /// A config built by hand; `defaultProjectID` falls back to `defaultOrganizationID`.
    /// ``ConfigLoader`` validates; this does not.
    public init(accessKey: String, secretKey: String, defaultProjectID: String? = nil, defaultOrganizationID: String? = nil,
                defaultRegion: String = "fr-par", defaultZone: String = "fr-par-1", apiURL: String = ScalewayConfig.defaultAPIURL,
                s3Endpoint: String? = nil, profile: String = "default", configPath: String? = nil, sources: [String: String] = [:]) {
        self.accessKey = accessKey
        self.secretKey = secretKey
        self.defaultProjectID = defaultProjectID ?? defaultOrganizationID
        self.defaultOrganizationID = defaultOrganizationID
        self.defaultRegion = defaultRegion
        self.defaultZone = defaultZone
        self.apiURL = apiURL
        self.s3Endpoint = s3Endpoint
        self.profile = profile
        self.configPath = configPath
        self.sources = sources
    }

    /// The fixed fake credentials of the local emulator (`--local`).
    public static let localAccessKey = "SCWLOCALEMULATOR0000"
    /// The emulator's fake secret key (any non-empty token is accepted there).
    public static let localSecretKey = "00000000-0000-4000-8000-00000000e0e0"
    /// The emulator's project, also its organization.
    public static let localProjectID = "11111111-1111-4111-8111-111111111111"

    /// A config for the local emulator at `baseURL` (`http://127.0.0.1:PORT`): valid-looking
    /// fake keys, a fixed project, fr-par / fr-par-1.
    public static func local(baseURL: String) -> ScalewayConfig {
        var url = baseURL
        while url.hasSuffix("/") { url.removeLast() }
        let source = "local emulator"
        return ScalewayConfig(accessKey: localAccessKey, secretKey: localSecretKey, defaultProjectID: localProjectID,
                              defaultOrganizationID: localProjectID, apiURL: url, profile: "local",
                              sources: Dictionary(uniqueKeysWithValues: ConfigKey.allCases.map { ($0.rawValue, source) }))
    }

    /// The secret key with every character but dashes hidden: `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`.
    public var maskedSecretKey: String { ScalewayConfig.mask(secret: secretKey) }

    /// Hides a secret, keeping only its shape (dashes), so it can go into messages.
    public static func mask(secret: String) -> String {
        if secret.isEmpty { return "(empty)" }
        let shape = String(secret.prefix(36).map { $0 == "-" ? "-" : "x" })
        return secret.count > 36 ? shape + "…" : shape
    }

    public var description: String {
        func line(_ key: ConfigKey, _ value: String?) -> String? {
            guard let value else { return nil }
            let from = sources[key.rawValue].map { "  (\($0))" } ?? ""
            return "\(key.rawValue): \(value)\(from)"
        }
        var lines = ["profile: \(profile)" + (configPath.map { "  (config file \($0))" } ?? "")]
        lines += [
            line(.accessKey, accessKey),
            line(.secretKey, maskedSecretKey),
            line(.defaultOrganizationID, defaultOrganizationID),
            line(.defaultProjectID, defaultProjectID),
            line(.defaultRegion, defaultRegion),
            line(.defaultZone, defaultZone),
            line(.apiURL, apiURL),
            line(.s3Endpoint, s3Endpoint),
        ].compactMap { $0 }
        return lines.joined(separator: "\n")
    }
}

/// The keys of a scw profile, with their environment variables.
public enum ConfigKey: String, CaseIterable, Sendable {
    case accessKey = "access_key"
    case secretKey = "secret_key"
    case defaultOrganizationID = "default_organization_id"
    case defaultProjectID = "default_project_id"
    case defaultRegion = "default_region"
    case defaultZone = "default_zone"
    case apiURL = "api_url"
    case s3Endpoint = "s3_endpoint"
    case s3UsePathStyle = "s3_use_path_style"

    /// The environment variable that overrides it.
    public var environmentVariable: String {
        switch self {
        case .accessKey: return "SCW_ACCESS_KEY"
        case .secretKey: return "SCW_SECRET_KEY"
        case .defaultOrganizationID: return "SCW_DEFAULT_ORGANIZATION_ID"
        case .defaultProjectID: return "SCW_DEFAULT_PROJECT_ID"
        case .defaultRegion: return "SCW_DEFAULT_REGION"
        case .defaultZone: return "SCW_DEFAULT_ZONE"
        case .apiURL: return "SCW_API_URL"
        case .s3Endpoint: return "SCW_S3_ENDPOINT"
        case .s3UsePathStyle: return "SCW_S3_USE_PATH_STYLE"
        }
    }
}
