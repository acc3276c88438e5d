/// Names a user may have misspelt or written in another case: a trust in a budgets file, a network given to
/// `--network`, a modality's spelling.
public enum Spelling {
    /// The name among `names` that `name` most plausibly misspells: the same letters and digits ignoring case, or
    /// else the fewest single-character edits away (letters and digits, ignoring case), at most one for every six
    /// characters and at least one; nil when none is that close or two are equally close.
    public static func nearest(to name: String, among names: [String]) -> String? {
        func folded(_ text: String) -> [Character] { Array(key(text)) }
        let target = folded(name)
        if let same = names.first(where: { folded($0) == target }) { return same }
        let allowed = max(1, target.count / 6)
        var best: (name: String, distance: Int, tied: Bool)?
        for candidate in names {
            let distance = editDistance(target, folded(candidate), limit: allowed)
            guard distance <= allowed else { continue }
            if best == nil || distance < best!.distance {
                best = (candidate, distance, false)
            } else if distance == best!.distance {
                best!.tied = true
            }
        }
        guard let best, !best.tied else { return nil }
        return best.name
    }

    /// `General X-ray Room` → `generalxrayroom`: a spelling's letters and digits, lowered, as modality spellings and
    /// column aliases are compared.
    static func key(_ text: some StringProtocol) -> String {
        String(text.lowercased().filter { $0.isLetter || $0.isNumber })
    }

    /// `name` with its ASCII capitals lowered and nothing else changed: the letter case the register's filters
    /// ignore (SQLite's NOCASE, and the PostgreSQL register's matching of it).
    public static func asciiLowercased(_ name: String) -> String {
        String(decoding: name.utf8.map { (65...90).contains($0) ? $0 + 32 : $0 }, as: UTF8.self)
    }

    /// The Levenshtein distance between `a` and `b`, or some value above `limit` once it is sure to exceed it.
    static func editDistance(_ a: [Character], _ b: [Character], limit: Int) -> Int {
        if abs(a.count - b.count) > limit { return limit + 1 }
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            var rowMinimum = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
                rowMinimum = min(rowMinimum, current[j])
            }
            if rowMinimum > limit { return limit + 1 }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
