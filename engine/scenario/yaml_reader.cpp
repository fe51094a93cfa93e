#include "engine/scenario/yaml_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>
#include <unordered_map>

namespace chokepoint::scenario_yaml {

// ---- Problems ---------------------------------------------------------------

void Problems::add(const YAML::Mark& mark, std::string_view path, std::string_view message) {
    // yaml-cpp marks are 0-based; a null mark (-1) happens only for an empty
    // document, where the start of the file is the honest answer.
    int line = mark.line >= 0 ? mark.line + 1 : 1;
    int column = mark.column >= 0 ? mark.column + 1 : 1;
    // Only the document root has no key path.
    std::string text = path.empty() ? fmt::format("{}:{}:{}: {}", file_, line, column, message)
                                    : fmt::format("{}:{}:{}: {}: {}", file_, line, column, path, message);
    items_.push_back({line, column, std::move(text)});
}

void Problems::add_unplaced(std::string_view message) {
    items_.push_back({0, 0, fmt::format("{}: {}", file_, message)});
}

std::vector<std::string> Problems::take_sorted() const {
    std::vector<Item> sorted = items_;
    std::stable_sort(sorted.begin(), sorted.end(), [](const Item& a, const Item& b) {
        return a.line != b.line ? a.line < b.line : a.column < b.column;
    });
    std::vector<std::string> out;
    out.reserve(sorted.size());
    // The same message twice (a duplicate key of an extending file is found before its merge and
    // again by the readers after it) is said once.
    for (auto& item : sorted)
        if (std::find(out.begin(), out.end(), item.text) == out.end()) out.push_back(std::move(item.text));
    return out;
}

// ---- Fields and paths ---------------------------------------------------------

YAML::Mark Field::mark() const {
    if (!present || node.IsNull()) return key_mark;
    return node.Mark();
}

std::string join_path(std::string_view parent, std::string_view key) {
    if (parent.empty()) return std::string(key);
    return fmt::format("{}.{}", parent, key);
}

std::string index_path(std::string_view parent, size_t index) { return fmt::format("{}[{}]", parent, index); }

// ---- Numbers ------------------------------------------------------------------

bool NumberRule::accepts(double v) const {
    if (!std::isfinite(v)) return false;
    if (lo_open ? !(v > lo) : !(v >= lo)) return false;
    if (hi_open ? !(v < hi) : !(v <= hi)) return false;
    return true;
}

std::string NumberRule::describe(bool integer) const {
    const char* what = integer ? "an integer" : "a number";
    bool has_lo = std::isfinite(lo), has_hi = std::isfinite(hi);
    if (has_lo && has_hi)
        return fmt::format("{} in {}{}, {}{}", what, lo_open ? '(' : '[', lo, hi, hi_open ? ')' : ']');
    if (has_lo) return fmt::format("{} {} {}", what, lo_open ? ">" : "≥", lo);
    if (has_hi) return fmt::format("{} {} {}", what, hi_open ? "<" : "≤", hi);
    return what;
}

namespace {

// Plain scalars are the only ones YAML would read as numbers or booleans; a
// quoted "25" is a string, and accepting it would hide a real mistake.
bool is_plain_scalar(const YAML::Node& n) {
    if (!n.IsScalar()) return false;
    const std::string& tag = n.Tag();
    return tag == "?" || tag == "tag:yaml.org,2002:int" || tag == "tag:yaml.org,2002:float" ||
           tag == "tag:yaml.org,2002:bool";
}

std::string_view strip_plus(std::string_view s) {
    if (s.size() > 1 && s[0] == '+') s.remove_prefix(1);
    return s;
}

std::optional<double> parse_double(std::string_view s) {
    s = strip_plus(s);
    double v = 0.0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
    return v;
}

template <typename Int>
std::optional<Int> parse_int(std::string_view s) {
    s = strip_plus(s);
    Int v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
    return v;
}

void expected(Problems& p, const Field& f, std::string_view what) {
    p.add(f.mark(), f.path, fmt::format("expected {}, got {}", what, describe_value(f.node)));
}

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

// Optimal string alignment distance: Levenshtein plus adjacent transposition,
// the commonest typo ("cpaacity").
size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1, 0));
    for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
    for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
    for (size_t i = 1; i <= a.size(); ++i) {
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[a.size()][b.size()];
}

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (size_t i = 0; i < items.size(); ++i) {
        if (i) out += ", ";
        out += items[i];
    }
    return out;
}

}  // namespace

std::string describe_value(const YAML::Node& node) {
    if (!node.IsDefined() || node.IsNull()) return "nothing";
    if (node.IsMap()) return "a map";
    if (node.IsSequence()) return "a list";
    const std::string& s = node.Scalar();
    if (is_plain_scalar(node) && parse_double(s)) return s;
    if (!is_plain_scalar(node) && parse_double(s)) return fmt::format("the quoted string \"{}\"", s);
    return fmt::format("\"{}\"", s);
}

namespace {
struct ExpansionWalk {
    std::size_t left;
    YAML::Mark where;
    bool too_deep = false;
};

// Depth-first with a depth limit: an alias inside its own anchor (`a: &a [*a]`) is a cycle that a
// walk without one follows until the stack overflows (a crash, the hostile-inputs review), and a
// chain of aliases each wrapping the last nests as deep as the chain is long.
bool count_values(const YAML::Node& n, ExpansionWalk& w, int depth) {
    if (w.left == 0 || depth > kMaxExpandedDepth) {
        w.where = n.Mark();
        w.too_deep = depth > kMaxExpandedDepth;
        return false;
    }
    --w.left;
    if (n.IsMap()) {
        for (auto it = n.begin(); it != n.end(); ++it)
            if (!count_values(it->first, w, depth + 1) || !count_values(it->second, w, depth + 1)) return false;
    } else if (n.IsSequence()) {
        for (auto it = n.begin(); it != n.end(); ++it)
            if (!count_values(*it, w, depth + 1)) return false;
    }
    return true;
}
}  // namespace

bool within_expansion_limit(Problems& p, const YAML::Node& root, std::size_t limit) {
    ExpansionWalk w{limit, {}};
    if (count_values(root, w, 0)) return true;
    if (w.too_deep)
        p.add(w.where, "yaml",
              fmt::format("the document nests more than {} levels deep once its aliases (*name) are expanded: an "
                          "alias inside its own anchor (&a [*a]) or a long chain of aliases; no scenario needs that",
                          kMaxExpandedDepth));
    else
        p.add(w.where, "yaml",
              fmt::format("the document holds more than {} values once its aliases (*name) are expanded: an alias "
                          "of aliases repeated like this builds more than any scenario needs",
                          limit));
    return false;
}

std::optional<double> as_number(Problems& p, const Field& f, const NumberRule& rule) {
    if (!f.present) return std::nullopt;
    std::optional<double> v;
    if (is_plain_scalar(f.node)) v = parse_double(f.node.Scalar());
    if (!v || !rule.accepts(*v)) {
        expected(p, f, rule.describe(false));
        return std::nullopt;
    }
    // Finite is not enough: 1e308 t of demand overflows the market's sums to infinity mid-game
    // (the hostile-inputs review). No quantity, price or share of the model comes near 1e15.
    if (std::fabs(*v) > kMaxMagnitude) {
        p.add(f.mark(), f.path,
              fmt::format("{} is too large: numbers in a scenario are at most 1e15 in size (larger ones overflow "
                          "the model's sums)",
                          f.node.Scalar()));
        return std::nullopt;
    }
    return v;
}

std::optional<long long> as_integer(Problems& p, const Field& f, const NumberRule& rule) {
    if (!f.present) return std::nullopt;
    std::optional<long long> v;
    if (is_plain_scalar(f.node)) v = parse_int<long long>(f.node.Scalar());
    if (!v || !rule.accepts(static_cast<double>(*v))) {
        expected(p, f, rule.describe(true));
        return std::nullopt;
    }
    return v;
}

std::optional<std::uint64_t> as_unsigned(Problems& p, const Field& f) {
    if (!f.present) return std::nullopt;
    std::optional<std::uint64_t> v;
    if (is_plain_scalar(f.node)) v = parse_int<std::uint64_t>(f.node.Scalar());
    if (!v) {
        expected(p, f, "an integer ≥ 0");
        return std::nullopt;
    }
    return v;
}

std::optional<std::string> as_string(Problems& p, const Field& f, bool allow_empty) {
    if (!f.present) return std::nullopt;
    if (f.node.IsNull() && allow_empty) return std::string();
    if (!f.node.IsScalar() || (!allow_empty && f.node.Scalar().empty())) {
        expected(p, f, allow_empty ? "a string" : "a non-empty string");
        return std::nullopt;
    }
    return f.node.Scalar();
}

std::optional<bool> as_bool(Problems& p, const Field& f) {
    if (!f.present) return std::nullopt;
    if (is_plain_scalar(f.node)) {
        // YAML 1.2 core schema booleans only: yes/no/on/off are YAML 1.1
        // surprises (the "Norway problem") we'd rather flag than guess at.
        const std::string& s = f.node.Scalar();
        if (s == "true" || s == "True" || s == "TRUE") return true;
        if (s == "false" || s == "False" || s == "FALSE") return false;
    }
    expected(p, f, "true or false");
    return std::nullopt;
}

std::optional<std::string> as_word(Problems& p, const Field& f, const std::vector<std::string>& choices) {
    if (!f.present) return std::nullopt;
    if (f.node.IsScalar()) {
        const std::string& s = f.node.Scalar();
        if (std::find(choices.begin(), choices.end(), s) != choices.end()) return s;
        std::string msg = fmt::format("expected one of {}, got {}", join(choices), describe_value(f.node));
        if (auto near = suggest(s, choices)) msg += fmt::format(" (did you mean \"{}\"?)", *near);
        p.add(f.mark(), f.path, msg);
        return std::nullopt;
    }
    expected(p, f, fmt::format("one of {}", join(choices)));
    return std::nullopt;
}

std::optional<std::pair<int, int>> as_month(Problems& p, const Field& f) {
    if (!f.present) return std::nullopt;
    if (f.node.IsScalar()) {
        const std::string& s = f.node.Scalar();
        bool shape = s.size() == 7 && s[4] == '-' &&
                     std::all_of(s.begin(), s.begin() + 4, [](char c) { return c >= '0' && c <= '9'; }) &&
                     std::all_of(s.begin() + 5, s.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (shape) {
            int year = std::stoi(s.substr(0, 4));
            int month = std::stoi(s.substr(5, 2));
            if (month >= 1 && month <= 12) return std::pair{year, month};
        }
    }
    expected(p, f, "a month as YYYY-MM");
    return std::nullopt;
}

std::optional<std::vector<Field>> as_entries(Problems& p, const Field& f, bool null_ok) {
    std::vector<Field> out;
    if (!f.present) return out;
    if (f.node.IsNull() && null_ok) return out;
    if (!f.node.IsMap()) {
        expected(p, f, "a map");
        return std::nullopt;
    }
    std::unordered_map<std::string, int> first_line;
    for (auto it = f.node.begin(); it != f.node.end(); ++it) {
        // Copies: the iterator hands out a temporary pair proxy.
        YAML::Node key = it->first;
        if (!key.IsScalar()) {
            p.add(key.Mark(), f.path, fmt::format("keys must be plain words, got {}", describe_value(key)));
            continue;
        }
        std::string k = key.Scalar();
        std::string path = join_path(f.path, k);
        // yaml-cpp keeps both copies of a repeated key and lookups see only the
        // first, so a silent duplicate would quietly drop a value.
        auto [seen, fresh] = first_line.emplace(k, key.Mark().line + 1);
        if (!fresh) {
            p.add(key.Mark(), path, fmt::format("duplicate key (first given on line {})", seen->second));
            continue;
        }
        YAML::Node value = it->second;
        out.push_back(Field{true, value, key.Mark(), std::move(path), std::move(k)});
    }
    return out;
}

std::optional<std::vector<Field>> as_list(Problems& p, const Field& f, bool null_ok) {
    std::vector<Field> out;
    if (!f.present) return out;
    if (f.node.IsNull() && null_ok) return out;
    if (!f.node.IsSequence()) {
        expected(p, f, "a list");
        return std::nullopt;
    }
    size_t i = 0;
    for (auto it = f.node.begin(); it != f.node.end(); ++it, ++i) {
        // A null item's own mark is that of the next token; the item's dash is
        // not recorded, so the list's mark is the nearest honest place.
        YAML::Node item = *it;
        YAML::Mark mark = item.IsNull() ? f.node.Mark() : item.Mark();
        out.push_back(Field{true, item, mark, index_path(f.path, i), {}});
    }
    return out;
}

// ---- Ids and suggestions --------------------------------------------------------

std::optional<std::string> suggest(std::string_view word, const std::vector<std::string>& candidates) {
    std::string w = lower(word);
    size_t best = SIZE_MAX;
    const std::string* pick = nullptr;
    for (const auto& c : candidates) {
        size_t d = edit_distance(w, lower(c));
        if (d < best) {
            best = d;
            pick = &c;
        }
    }
    if (!pick) return std::nullopt;
    // Allow more slack for longer words, never so much that any short word matches.
    size_t limit = w.size() <= 3 ? 1 : w.size() <= 6 ? 2 : 3;
    if (best > limit || best >= w.size()) return std::nullopt;
    return *pick;
}

std::string unknown_id(std::string_view kind, std::string_view plural, std::string_view word,
                       const std::vector<std::string>& ids) {
    if (auto near = suggest(word, ids))
        return fmt::format("unknown {} \"{}\" (did you mean \"{}\"?)", kind, word, *near);
    if (ids.empty()) return fmt::format("unknown {} \"{}\" (no {} are defined)", kind, word, plural);
    return fmt::format("unknown {} \"{}\" ({} are: {})", kind, word, plural, join(ids));
}

std::string trim_trailing_space(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.pop_back();
    return s;
}

bool valid_id(std::string_view id) {
    if (id.empty() || id[0] < 'a' || id[0] > 'z') return false;
    return std::all_of(id.begin(), id.end(),
                       [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

// ---- MapReader ----------------------------------------------------------------

MapReader::MapReader(Problems& p, const Field& f, std::vector<std::string> allowed, bool required)
    : p_(&p), field_(f) {
    if (required && !f.present) {
        p.add(f.key_mark, f.path, "required key missing");
        return;
    }
    auto entries = as_entries(p, f, !required);
    if (!entries) return;
    ok_ = true;
    for (auto& e : *entries) {
        const std::string& key = e.key;
        if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) {
            entries_.push_back(std::move(e));
            continue;
        }
        std::string msg = "unknown key";
        if (auto near = suggest(key, allowed))
            msg += fmt::format(" (did you mean \"{}\"?)", *near);
        else
            msg += fmt::format(" (expected one of: {})", join(allowed));
        p.add(e.key_mark, e.path, msg);
    }
}

Field MapReader::field(std::string_view key) const {
    for (const auto& e : entries_)
        if (e.key == key) return e;
    // Absent: carry this map's mark so "required key missing" points at it.
    return Field{false, YAML::Node(), field_.mark(), join_path(field_.path, key), std::string(key)};
}

void MapReader::missing(std::string_view key) const {
    p_->add(field_.mark(), join_path(field_.path, key), "required key missing");
}

std::optional<double> MapReader::number(std::string_view key, const NumberRule& rule, bool required) const {
    if (!ok_) return std::nullopt;
    Field f = field(key);
    if (!f.present) {
        if (required) missing(key);
        return std::nullopt;
    }
    return as_number(*p_, f, rule);
}

std::optional<int> MapReader::integer(std::string_view key, const NumberRule& rule, bool required) const {
    if (!ok_) return std::nullopt;
    Field f = field(key);
    if (!f.present) {
        if (required) missing(key);
        return std::nullopt;
    }
    // Clamp the rule to int so huge values are reported, not truncated.
    NumberRule r = rule;
    r.lo = std::max(r.lo, static_cast<double>(INT_MIN));
    r.hi = std::min(r.hi, static_cast<double>(INT_MAX));
    auto v = as_integer(*p_, f, rule);
    if (!v) return std::nullopt;
    if (!r.accepts(static_cast<double>(*v))) {
        p_->add(f.mark(), f.path, fmt::format("expected {}, got {} (too large)", rule.describe(true), *v));
        return std::nullopt;
    }
    return static_cast<int>(*v);
}

std::optional<std::string> MapReader::string(std::string_view key, bool required) const {
    if (!ok_) return std::nullopt;
    Field f = field(key);
    if (!f.present) {
        if (required) missing(key);
        return std::nullopt;
    }
    return as_string(*p_, f, !required);
}

std::optional<bool> MapReader::boolean(std::string_view key, bool required) const {
    if (!ok_) return std::nullopt;
    Field f = field(key);
    if (!f.present) {
        if (required) missing(key);
        return std::nullopt;
    }
    return as_bool(*p_, f);
}

std::optional<std::string> MapReader::word(std::string_view key, const std::vector<std::string>& choices,
                                           bool required) const {
    if (!ok_) return std::nullopt;
    Field f = field(key);
    if (!f.present) {
        if (required) missing(key);
        return std::nullopt;
    }
    return as_word(*p_, f, choices);
}

}  // namespace chokepoint::scenario_yaml
