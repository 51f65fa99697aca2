// ConfigLoader+Local: the config for the emulator or any Scaleway-compatible endpoint
// (`--local`, `--endpoint`): its fixed local keys, with the defaults the environment gives.

extension ConfigLoader {
    /// The environment variables an endpoint's config honours: the defaults, never the keys
    /// (an endpoint is not sent the real credentials) nor the API URL (it is the endpoint).
    static let localDefaults: [ConfigKey] = [.defaultOrganizationID, .defaultProjectID, .defaultRegion, .defaultZone]

    /// ``ScalewayConfig/local(baseURL:)`` with `SCW_DEFAULT_ORGANIZATION_ID`,
    /// `SCW_DEFAULT_PROJECT_ID`, `SCW_DEFAULT_REGION` and `SCW_DEFAULT_ZONE` from `env`,
    /// checked as the SDKs check them.
    public static func local(baseURL: String, environment env: [String: String]) throws -> ScalewayConfig {
        var config = ScalewayConfig.local(baseURL: baseURL)
        var settings: [ConfigKey: Setting] = [:]
        for key in localDefaults {
            if let v = env[key.environmentVariable], !v.isEmpty {
                settings[key] = Setting(value: v, key: key.environmentVariable, source: "environment")
            }
        }
        try ConfigValidation.validate(settings)
        for (key, s) in settings {
            switch key {
            case .defaultOrganizationID:
                config.defaultOrganizationID = s.value
                if settings[.defaultProjectID] == nil { config.defaultProjectID = s.value }
            case .defaultProjectID: config.defaultProjectID = s.value
            case .defaultRegion: config.defaultRegion = s.value
            case .defaultZone: config.defaultZone = s.value
            default: break
            }
            config.sources[key.rawValue] = s.origin
        }
        return config
    }
}
