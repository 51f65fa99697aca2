// Pagination: fetching every page of a list, in the two styles Scaleway uses: `page` +
// `page_size` with `total_count` in the body (all current APIs), and `page` + `per_page`
// with an `X-Total-Count` header (Instance v1, legacy).

import ScwCore

/// How a list endpoint pages.
public enum PaginationStyle: Sendable, Equatable {
    /// `page` + `page_size`; the body carries `total_count` beside the items.
    case pageSize
    /// `page` + `per_page`; the total is in the `X-Total-Count` header (Instance v1).
    case perPage
}

extension ScalewayClient {
    /// How many pages after the first are asked for at the same time.
    static let parallelPages = 8

    /// Every item of a list endpoint, all pages fetched in order.
    ///
    /// The SDK's algorithm: fetch page 1, compute the page count from the total and the size
    /// of page 1, fetch the rest (here several at once), stop early at an empty page. Without a total, pages are
    /// fetched until one comes back empty or short.
    ///
    /// - Parameters:
    ///   - itemsKey: the key of the item array in the body (`vpcs`, `private_networks`).
    ///   - query: filters; page parameters are added.
    ///   - pageSize: items asked per page (Scaleway allows up to 100).
    public func listAll(_ path: String, itemsKey: String, query: [(String, String)] = [],
                        style: PaginationStyle, pageSize: Int = 100) async throws -> [Value] {
        let sizeParam = style == .pageSize ? "page_size" : "per_page"
        let base = query.filter { $0.0 != "page" && $0.0 != sizeParam }

        @Sendable func fetch(_ page: Int) async throws -> (items: [Value], total: Int?) {
            let q = base + [("page", String(page)), (sizeParam, String(pageSize))]
            let response = try await callRaw("GET", path, query: q)
            let what = "GET \(path) page \(page)"
            let body: Value
            do { body = try JSON.decode(bytes: response.body) } catch {
                throw DecodeError(what: what, field: nil, problem: "the body is not JSON (\(error))")
            }
            let reader = try FieldReader(body, what: what)
            guard case .list(let items)? = reader.fields[itemsKey] else {
                if reader.fields[itemsKey] == nil || reader.fields[itemsKey] == .null { return ([], 0) }
                throw DecodeError(what: what, field: itemsKey, problem: "should be a list")
            }
            switch style {
            case .pageSize:
                return (items, try reader.optionalInt("total_count").map { Int($0) })
            case .perPage:
                return (items, response.header("X-Total-Count").flatMap { Int($0.trimmingSpaces) })
            }
        }

        let first = try await fetch(1)
        var all = first.items
        guard !first.items.isEmpty else { return all }
        if let total = first.total {
            let pages = (total + first.items.count - 1) / first.items.count
            if pages >= 2 {
                // The rest at once (a few at a time), kept in page order: a long list costs
                // one round trip more than a short one, not one per page.
                var fetched: [Int: [Value]] = [:]
                try await withThrowingTaskGroup(of: (Int, [Value]).self) { group in
                    var next = 2
                    while next <= pages, next < 2 + Self.parallelPages {
                        let page = next
                        group.addTask { (page, try await fetch(page).items) }
                        next += 1
                    }
                    while let (page, items) = try await group.next() {
                        fetched[page] = items
                        if next <= pages {
                            let page = next
                            group.addTask { (page, try await fetch(page).items) }
                            next += 1
                        }
                    }
                }
                for page in 2...pages {
                    guard let items = fetched[page], !items.isEmpty else { break }
                    all += items
                }
            }
        } else {
            var page = 1, last = first.items.count
            while last >= pageSize {
                page += 1
                let next = try await fetch(page)
                if next.items.isEmpty { break }
                all += next.items
                last = next.items.count
            }
        }
        return all
    }
}
