// UUIDText: the UUID shape Scaleway uses for ids, projects and secret keys.

public enum UUIDText {
    /// 8-4-4-4-12 hexadecimal digits, either case.
    public static func isValid(_ s: String) -> Bool {
        let groups = s.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }
}
