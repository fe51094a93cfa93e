#include "view/model/licensing_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace chokepoint::view {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The team may see paperwork it is party to (as exporter or as importer).
bool team_party(std::optional<CountryId> team_view, CountryId exporter, CountryId importer) {
    return !team_view || exporter == *team_view || importer == *team_view;
}

struct WaitSum {
    double sum = 0.0;
    int n = 0;
    void add(double w) { sum += w, ++n; }
    double mean() const { return n ? sum / n : kNaN; }
};

}  // namespace

LicensingView licensing_view(const Snapshot& snap, std::optional<CountryId> team_view,
                             std::optional<CountryId> exporter) {
    LicensingView v;
    const State& s = snap.state;

    // Queues: pending applications in the state, grouped by exporter.
    std::map<CountryId, ExporterQueue> queues;
    for (const auto& a : s.applications) {
        if (a.status != ApplicationStatus::Pending) continue;
        if (!team_party(team_view, a.exporter, a.importer)) {
            ++v.hidden_pending;
            queues[a.exporter].hidden = true;
            continue;
        }
        ExporterQueue& q = queues[a.exporter];
        if (team_view && a.exporter != *team_view) q.hidden = true;
        QueuedApplication item;
        item.id = a.id;
        item.importer = a.importer;
        item.good = a.good;
        item.tonnes_per_turn = a.tonnes_per_turn;
        item.end_use = a.end_use;
        item.filed_turn = a.filed_turn;
        item.waiting = s.turn - a.filed_turn;
        item.decidable = a.decidable_turn <= s.turn;
        ++q.pending;
        q.decidable += item.decidable ? 1 : 0;
        q.tonnes += a.tonnes_per_turn;
        q.oldest_wait = std::max(q.oldest_wait, item.waiting);
        q.applications.push_back(item);
    }
    for (auto& [c, q] : queues) {
        q.exporter = c;
        std::stable_sort(
            q.applications.begin(), q.applications.end(),
            [](const QueuedApplication& a, const QueuedApplication& b) { return a.filed_turn < b.filed_turn; });
        v.queues.push_back(std::move(q));
    }
    std::stable_sort(v.queues.begin(), v.queues.end(), [](const ExporterQueue& a, const ExporterQueue& b) {
        return a.pending != b.pending ? a.pending > b.pending : a.exporter < b.exporter;
    });

    // Decisions, from the events of each recorded turn.
    std::map<CountryId, ImporterRecord> importers;
    std::map<CountryId, WaitSum> importer_waits;
    WaitSum all;
    for (const auto& rec : snap.history) {
        LicensingTurn t;
        t.turn = rec->turn;
        t.date = rec->date;
        WaitSum turn_waits;
        for (const auto& e : rec->events) {
            // license_application runs importer → exporter; decisions and expiries exporter → importer.
            const bool application = e.type == "license_application";
            const CountryId ex = application ? e.target : e.country;
            const CountryId im = application ? e.country : e.target;
            if (!application && e.type != "license_decision" && e.type != "license_expired") continue;
            if (exporter && ex != *exporter) continue;
            if (!team_party(team_view, ex, im)) continue;
            if (application) {
                ++t.applications;
                continue;
            }
            ImporterRecord& r = importers[im];
            r.importer = im;
            if (e.type == "license_expired") {
                ++t.expired, ++r.expired, ++v.expired;
                continue;
            }
            const double waited = e.data.value("waited_turns", 0.0);
            t.requested_t += e.data.value("requested_t", 0.0);
            if (e.data.value("decision", std::string()) == "approved") {
                ++t.approved, ++r.approved, ++v.approved;
                t.approved_t += e.data.value("approved_t", 0.0);
            } else {
                ++t.denied, ++r.denied, ++v.denied;
            }
            turn_waits.add(waited);
            importer_waits[im].add(waited);
            all.add(waited);
        }
        t.mean_wait = turn_waits.mean();
        v.turns.push_back(std::move(t));
    }
    for (auto& [c, r] : importers) {
        const int decided = r.approved + r.denied;
        r.approval_rate = decided ? static_cast<double>(r.approved) / decided : kNaN;
        r.mean_wait = importer_waits[c].mean();
        v.importers.push_back(r);
    }
    v.mean_wait = all.mean();
    return v;
}

const ExporterQueue* queue_of(const LicensingView& v, CountryId exporter) {
    for (const auto& q : v.queues)
        if (q.exporter == exporter) return &q;
    return nullptr;
}

}  // namespace chokepoint::view
