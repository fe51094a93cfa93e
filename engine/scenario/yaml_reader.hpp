// Strict, typed reading of a parsed YAML tree for the scenario loader. Every
// getter reports what is wrong to a Problems collector (with the file, line,
// column and key path) and returns nullopt instead of throwing, so one pass
// over the file finds every mistake rather than only the first.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chokepoint::scenario_yaml {

// Collects problems as `FILE:LINE:COLUMN: key.path: message`, sorted into
// document order when taken, since checks that cross sections (references,
// recipes) run after the sections themselves.
class Problems {
public:
    explicit Problems(std::string file) : file_(std::move(file)) {}

    void add(const YAML::Mark& mark, std::string_view path, std::string_view message);
    // A problem with no position in the file (e.g. the file cannot be read).
    void add_unplaced(std::string_view message);

    bool empty() const { return items_.empty(); }
    size_t size() const { return items_.size(); }
    const std::string& file() const { return file_; }
    std::vector<std::string> take_sorted() const;

private:
    struct Item {
        int line = 0, column = 0;  // 1-based; 0 = no position
        std::string text;
    };
    std::string file_;
    std::vector<Item> items_;
};

// A value found under a key (or a list index), or the absence of one. The key's
// mark is kept because a null value (`key:` with nothing after it) carries the
// mark of whatever token follows, which is usually on the next line.
struct Field {
    bool present = false;
    YAML::Node node;
    YAML::Mark key_mark;
    std::string path;
    std::string key;  // the map key it was found under (empty for list items)

    bool is_null() const { return present && node.IsNull(); }
    // Where to point at the value: the value itself, or its key when it is null.
    YAML::Mark mark() const;
};

std::string join_path(std::string_view parent, std::string_view key);
std::string index_path(std::string_view parent, size_t index);

// The accepted range of a number: describes itself for messages such as
// "expected a number in (0, 1], got 1.5".
// The largest size a scenario's number may have (tonnes, USD, shares alike).
inline constexpr double kMaxMagnitude = 1e15;
// The most values a YAML document may hold with its aliases expanded (the shipped baseline has
// ~20,000).
inline constexpr std::size_t kMaxExpandedValues = 1'000'000;
// How deep a document may nest once its aliases are expanded (a scenario nests under ten levels).
inline constexpr int kMaxExpandedDepth = 100;

struct NumberRule {
    double lo = -std::numeric_limits<double>::infinity();
    double hi = std::numeric_limits<double>::infinity();
    bool lo_open = false;
    bool hi_open = false;

    static NumberRule any() { return {}; }
    static NumberRule at_least(double v) { return {.lo = v}; }
    static NumberRule above(double v) { return {.lo = v, .lo_open = true}; }
    static NumberRule between(double a, double b) { return {.lo = a, .hi = b}; }

    bool accepts(double v) const;
    std::string describe(bool integer) const;
};

// How a value looks, for "got …" in messages: "nothing", "a map", "a list",
// `"lots"`, or the number as written.
std::string describe_value(const YAML::Node& node);

// Typed conversions. Each reports a problem and returns nullopt on a bad value;
// a Field that is not present yields nullopt silently.
std::optional<double> as_number(Problems& p, const Field& f, const NumberRule& rule);
std::optional<long long> as_integer(Problems& p, const Field& f, const NumberRule& rule);
std::optional<std::uint64_t> as_unsigned(Problems& p, const Field& f);
std::optional<std::string> as_string(Problems& p, const Field& f, bool allow_empty = true);
std::optional<bool> as_bool(Problems& p, const Field& f);
// One of a fixed set of words, e.g. process or regime names.
std::optional<std::string> as_word(Problems& p, const Field& f, const std::vector<std::string>& choices);
// A YYYY-MM month, returned as {year, month}.
std::optional<std::pair<int, int>> as_month(Problems& p, const Field& f);

// The entries of a map, in file order, with duplicate and non-scalar keys
// reported and dropped. A null value counts as an empty map when null_ok.
// Returns nullopt (after reporting) when the value is not a map.
std::optional<std::vector<Field>> as_entries(Problems& p, const Field& f, bool null_ok = true);
// The items of a list; same conventions.
std::optional<std::vector<Field>> as_list(Problems& p, const Field& f, bool null_ok = true);

// Whether a document stays within `limit` values once its aliases are expanded (each alias counts
// as often as it is reached). A few hundred bytes of aliases of aliases expand to billions of
// values, which every later walk (merges, conversions) would build. Reports the place where the
// count ran over and returns false.
bool within_expansion_limit(Problems& p, const YAML::Node& root, std::size_t limit = kMaxExpandedValues);

// Closest candidate by edit distance, when close enough to be a likely typo.
std::optional<std::string> suggest(std::string_view word, const std::vector<std::string>& candidates);
// `unknown good "x" (did you mean "y"?)` or `unknown good "x" (goods are: a, b)`.
std::string unknown_id(std::string_view kind, std::string_view plural, std::string_view word,
                       const std::vector<std::string>& ids);
// Free text from a block scalar (`description: >`) ends with a newline that is
// YAML syntax, not content.
std::string trim_trailing_space(std::string s);
// Ids of goods, sectors, countries and shocks: [a-z][a-z0-9_]*.
bool valid_id(std::string_view id);

// A map with a fixed set of allowed keys (a section or a record). Unknown keys
// are reported on construction, with a suggestion when one is close.
class MapReader {
public:
    // `required`: report a missing map at its key. A null or absent map is
    // otherwise treated as empty, so every key takes its default.
    MapReader(Problems& p, const Field& f, std::vector<std::string> allowed, bool required = false);

    bool ok() const { return ok_; }          // a map (or allowed to be empty)
    const std::string& path() const { return field_.path; }
    const Field& self() const { return field_; }
    Problems& problems() const { return *p_; }

    Field field(std::string_view key) const;
    bool has(std::string_view key) const { return field(key).present; }
    // Reports `path.key: required key missing` at this map's mark.
    void missing(std::string_view key) const;

    // Getters: nullopt when absent (reported if required) or invalid (reported).
    std::optional<double> number(std::string_view key, const NumberRule& rule, bool required = false) const;
    std::optional<int> integer(std::string_view key, const NumberRule& rule, bool required = false) const;
    std::optional<std::string> string(std::string_view key, bool required = false) const;
    std::optional<bool> boolean(std::string_view key, bool required = false) const;
    std::optional<std::string> word(std::string_view key, const std::vector<std::string>& choices,
                                    bool required = false) const;

    // Assigns only when the value is present and valid, so defaults survive.
    template <typename T>
    void read_number(std::string_view key, const NumberRule& rule, T& out, double scale = 1.0) const {
        if (auto v = number(key, rule)) out = static_cast<T>(*v * scale);
    }
    void read_integer(std::string_view key, const NumberRule& rule, int& out) const {
        if (auto v = integer(key, rule)) out = *v;
    }
    void read_bool(std::string_view key, bool& out) const {
        if (auto v = boolean(key)) out = *v;
    }

private:
    Problems* p_;
    Field field_;
    std::vector<Field> entries_;
    bool ok_ = false;
};

}  // namespace chokepoint::scenario_yaml
