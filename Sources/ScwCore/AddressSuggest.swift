// AddressSuggest: what to suggest for an address that names nothing in state: the address of
// that name when only the name was given (`web-1` → `Instance/web-1`), else the closest one.

public enum AddressSuggest {
    /// The suggestion for `given` among `addresses`, nil when there is none.
    public static func suggestion(for given: String, in addresses: [ResourceAddress]) -> String? {
        if !given.contains("/") {
            let named = addresses.filter { $0.name == given }.map(\.description)
            if !named.isEmpty { return named.joined(separator: " or ") }
        }
        return Suggest.closest(to: given, in: addresses.map(\.description))
    }
}
