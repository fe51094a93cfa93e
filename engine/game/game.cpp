#include "engine/game/game.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <stdexcept>

#include "engine/sim/autopilot.hpp"
#include "engine/sim/turn.hpp"

namespace chokepoint {

Game::Game(Scenario scenario, GameOptions options)
    : scenario_(std::move(scenario)), defs_(scenario_.defs), state_(scenario_.initial), options_(options) {
    for (CountryId c : defs_->country_ids()) {
        auto& cs = state_.countries[c];
        if (cs.reserves.empty()) cs.reserves = defs_->countries[c].reserves;
        if (cs.reserves.empty()) cs.reserves.assign(static_cast<size_t>(defs_->good_count()), 0.0);
    }
    policies_.resize(defs_->countries.size());
    for (auto& p : policies_) p = std::make_unique<AutopilotPolicy>();
    turn_limit_ = defs_->turns;
}

void Game::set_policy(CountryId country, std::unique_ptr<Policy> policy) {
    if (!defs_->has_country(country)) throw std::out_of_range("set_policy: unknown country");
    policies_[country] = std::move(policy);
}

const Policy* Game::policy(CountryId country) const {
    if (!defs_->has_country(country)) throw std::out_of_range("policy: unknown country");
    return policies_[country].get();
}
Policy* Game::policy(CountryId country) {
    if (!defs_->has_country(country)) throw std::out_of_range("policy: unknown country");
    return policies_[country].get();
}

void Game::inject(ScheduledEvent event) {
    event.turn = state_.turn;
    injects_.push_back(std::move(event));
}

bool Game::leverage_due(int turn) const {
    if (!options_.measure_leverage) return false;
    if (turn + 1 >= turn_limit_) return true;
    return options_.leverage_every > 0 && (turn + 1) % options_.leverage_every == 0;
}

bool parse_leverage_schedule(const std::string& text, GameOptions& o) {
    if (text == "every") {
        o.measure_leverage = true, o.leverage_every = 1;
        return true;
    }
    if (text == "end") {
        o.measure_leverage = true, o.leverage_every = 0;
        return true;
    }
    if (text == "off") {
        o.measure_leverage = false;
        return true;
    }
    int n = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc{} || end != text.data() + text.size() || n < 1) return false;
    o.measure_leverage = true, o.leverage_every = n;
    return true;
}

std::string leverage_schedule_text(const GameOptions& o) {
    if (!o.measure_leverage) return "off";
    if (o.leverage_every == 0) return "end";
    if (o.leverage_every == 1) return "every";
    return std::to_string(o.leverage_every);
}

void Game::set_turn_limit(int turns) { turn_limit_ = std::clamp(turns, 1, std::max(kMaxTurns, defs_->turns)); }

std::string Game::change_turn_limit(int turns) {
    const int played = state_.turn;
    if (turns < std::max(1, played))
        return fmt::format("{} turns have been played already: the game can end after {} at the earliest", played,
                           std::max(1, played));
    if (turns > kMaxTurns) return fmt::format("at most {} turns", kMaxTurns);
    if (played > 0) {
        const int old_limit = turn_limit_;
        const bool measured_as_played = leverage_due(played - 1);
        turn_limit_ = turns;
        const bool measured_now = leverage_due(played - 1);
        turn_limit_ = old_limit;
        if (measured_as_played != measured_now)
            return fmt::format("leverage is measured {} here, so turn {} {} as the last one: with {} turns the game would "
                               "not be the one played (play one more turn first, or measure leverage every turn)",
                               options_.leverage_every == 0 ? "at the end" : fmt::format("every {} turns", options_.leverage_every),
                               played, measured_as_played ? "was measured" : "was not measured", turns);
    }
    turn_limit_ = turns;
    return "";
}

const TurnRecord& Game::step() {
    if (state_.turn >= turn_limit_) throw std::logic_error("the game is over");
    TurnRecord rec;
    rec.turn = state_.turn;
    rec.date = defs_->date_of_turn(state_.turn);
    PerCountry<Policy*> active;
    for (auto& p : policies_) active.push_back(p.get());
    using clock = std::chrono::steady_clock;  // measures cost only; never feeds the game
    auto t0 = clock::now();
    // The scenario's events, plus live injects for this turn.
    const std::vector<ScheduledEvent>* events = &scenario_.events;
    std::vector<ScheduledEvent> with_injects;
    if (std::any_of(injects_.begin(), injects_.end(), [&](const ScheduledEvent& e) { return e.turn == state_.turn; })) {
        with_injects = scenario_.events;
        for (const auto& e : injects_)
            if (e.turn == state_.turn) with_injects.push_back(e);
        events = &with_injects;
    }
    const size_t policy_phase = play_turn(*defs_, state_, *events, active, TurnOptions{}, rec.events, &carried_);
    carried_.assign(rec.events.begin() + static_cast<std::ptrdiff_t>(policy_phase), rec.events.end());
    auto t1 = clock::now();
    if (leverage_due(rec.turn)) {
        if (const auto rec_it = recorded_leverage_.find(rec.turn); rec_it != recorded_leverage_.end()) {
            rec.leverage = rec_it->second;
        } else {
            if (!pool_) pool_ = std::make_unique<WorkerPool>(options_.threads);
            rec.leverage =
                measure_leverage(*defs_, state_, LeverageWork{pool_.get(), options_.reuse_markets}, &rec.leverage_cost);
        }
        latest_leverage_ = rec.leverage;
        const int C = defs_->country_count();
        state_.leverage_net = CountryMatrix<>(C, C, 0.0);
        for (CountryId a : defs_->country_ids())
            for (CountryId b : defs_->country_ids()) state_.leverage_net(a, b) = rec.leverage.net(a, b);
        state_.leverage_index = rec.leverage.index_combined;
        state_.leverage_exercised = rec.leverage.materials_exercised;
        state_.leverage_reserve = rec.leverage.materials_reserve;
    }
    auto t2 = clock::now();
    rec.scores = score_turn(*defs_, state_, latest_leverage_);
    rec.outcome = state_.last;
    rec.countries = state_.countries;
    rec.rules = state_.rules;
    rec.tariff = state_.tariff;
    rec.licensed.assign(static_cast<size_t>(defs_->good_count()), CountryMatrix<>(defs_->country_count(), defs_->country_count(), 0.0));
    for (const License& l : state_.licenses)
        if (!l.revoked && l.first_turn <= rec.turn && rec.turn <= l.last_turn && defs_->has_good(l.good))
            rec.licensed[l.good](l.exporter, l.importer) += license_volume_now(l, rec.turn);
    rec.seconds_markets = std::chrono::duration<double>(t1 - t0).count();
    rec.seconds_leverage = std::chrono::duration<double>(t2 - t1).count();
    history_.push_back(std::move(rec));
    return history_.back();
}

}  // namespace chokepoint
