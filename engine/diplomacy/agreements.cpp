#include "engine/diplomacy/agreements.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "engine/diplomacy/clauses.hpp"
#include "engine/instruments/commands.hpp"
#include "engine/instruments/investment.hpp"
#include "engine/instruments/licensing.hpp"
#include "engine/markets/origin.hpp"
#include "engine/world/rng.hpp"
#include "engine/world/names.hpp"

namespace chokepoint {

namespace {

License* find_license(State& s, int id) {
    for (auto& l : s.licenses)
        if (l.id == id) return &l;
    return nullptr;
}

// Ends an agreement now: its general licenses end with it.
void end_agreement(State& s, Agreement& a, AgreementStatus status, CountryId by, std::string reason) {
    a.status = status;
    a.ended_turn = s.turn;
    a.ended_by = by;
    a.end_reason = std::move(reason);
    for (const auto& p : a.progress)
        if (p.license_id)
            if (License* l = find_license(s, p.license_id)) l->last_turn = std::min(l->last_turn, s.turn);
}

void breach(const Definitions& d, State& s, Agreement& a, CountryId by, const std::string& what, EventList& log) {
    CountryId victim = a.other(by);
    ++a.breaches;
    change_trust(d, s, victim, by, -d.negotiation.trust.breach, true);
    std::string text = fmt::format("{} breaches agreement {} with {}: {}", cid(d, by), a.id, cid(d, victim), what);
    end_agreement(s, a, AgreementStatus::Breached, by, what);
    log.note(s.turn, "agreement_breach", by, victim, [&] {
        return EventText{
            text, {{"agreement", a.id}, {"reason", what}, {"trust_after", s.countries[victim].trust[by]}}};
    });
}

void pay(State& s, CountryId from, CountryId to, double usd) {
    s.countries[from].treasury -= usd;
    s.countries[to].treasury += usd;
}

// Moves up to `tonnes` of g from `from`'s stockpile (then commercial stock) to `to`'s stockpile.
double move_stock(State& s, CountryId from, CountryId to, GoodId g, double tonnes, MarketOutcome* out) {
    auto& src = s.countries[from];
    double from_pile = std::min(tonnes, src.stockpile[g]);
    double from_stock = std::min(tonnes - from_pile, std::max(0.0, src.stock[g]));
    src.stockpile[g] -= from_pile;
    // The lent stock leaves the origin accounts (stockpiles are not tracked): §Origin and re-export control.
    if (src.controlled.rows > g.value() && from_stock > 0) {
        const double ctrl = controlled_total(src, g);
        const double stock = src.stock[g];
        for (CountryId l : src.controlled.col_ids()) {
            double take = stock > 0 ? std::min(src.controlled(g, l), from_stock * src.controlled(g, l) / stock) : 0.0;
            if (ctrl <= 0 || take <= 0) continue;
            src.controlled(g, l) -= take;
            if (out && out->controlled_out.size() > g.index()) out->controlled_out[g](from, l) += take;
        }
    }
    src.stock[g] -= from_stock;
    s.countries[to].stockpile[g] += from_pile + from_stock;
    if (out) {
        out->stockpile_change(from, g) -= from_pile;
        out->stock_change(from, g) -= from_stock;
        out->stockpile_change(to, g) += from_pile + from_stock;
        out->exported(from, g) += from_pile + from_stock;
        out->imported(to, g) += from_pile + from_stock;
        out->flows[g](from, to) += from_pile + from_stock;
    }
    return from_pile + from_stock;
}

// Whether the clause's `from` has broken a commitment of clause c toward the other party: by a
// command (non-binding mode) or by a scripted or injected event (either mode).
std::string broken_commitment(const Definitions& d, const State& s, const Clause& c, const ClauseProgress& p) {
    switch (c.kind) {
        case ClauseKind::RegimeChange: {
            Regime now = s.rule(c.from, c.the_good(), c.to).regime;
            if (static_cast<int>(now) > static_cast<int>(c.regime))
                return fmt::format("set exports of {} to {} back to {}", gid(d, c.the_good()), cid(d, c.to), to_string(now));
            return "";
        }
        case ClauseKind::LicenseFacilitation: {
            for (const auto& l : s.licenses)
                if (l.id == p.license_id && l.revoked) return fmt::format("revoked the general license {}", l.id);
            if (s.rule(c.from, c.the_good(), c.to).regime == Regime::Embargo)
                return fmt::format("embargoed {} to {}", gid(d, c.the_good()), cid(d, c.to));
            return "";
        }
        case ClauseKind::TariffChange:
            for (GoodId g : d.good_ids())
                if ((!c.good || c.good == g) && s.tariff_on(c.from, g, c.to) > c.rate + 1e-9)
                    return fmt::format("raised its tariff on {} from {} to {:.0f}%", gid(d, g), cid(d, c.to),
                                       s.tariff_on(c.from, g, c.to) * 100);
            return "";
        default: return "";
    }
}

// Defense use of g in country b this turn, counting g inside the goods made from it (one stage down).
double defense_use(const Definitions& d, const MarketOutcome& out, CountryId b, GoodId g) {
    auto direct = [&](GoodId h) {
        double sum = 0.0;
        for (SectorId k : d.sector_ids())
            if (d.sectors[k].defense && d.sectors[k].good == h) sum += out.met(b, k);
        return sum;
    };
    double use = direct(g);
    for (GoodId h : d.good_ids())
        for (const auto& in : d.goods[h].recipe)
            if (in.good == g) {
                double supply = out.produced(b, h) + out.imported(b, h);
                double own_share = supply > 0 ? out.produced(b, h) / supply : 0.0;
                use += in.tonnes_per_tonne * direct(h) * own_share;
            }
    return use;
}

// End-use checks: material that came in under a civilian-only license or an end-use assurance and
// that the importer's defense use cannot have come from anywhere else was diverted; it is found out
// with the scenario's probability (licensing.end_use_discovery). docs/model.md §End use.
void detect_diversion(const Definitions& d, State& s, const MarketOutcome& out, EventList& log) {
    Rng rng(s.rng_state);
    for (CountryId b : d.country_ids())
        for (GoodId g : d.good_ids()) {
            // Restricted inflow per exporter, and the agreement that restricts it (if any).
            double restricted_total = 0.0;
            std::vector<std::pair<CountryId, int>> sources;  // exporter, agreement id (0: a license clause)
            for (CountryId a : d.country_ids()) {
                double flow = out.flows[g](a, b);
                if (a == b || flow <= 0) continue;
                int agreement = -1;
                for (const auto& ag : s.agreements)
                    if (ag.status == AgreementStatus::Active)
                        for (size_t i = 0; i < ag.clauses.size(); ++i) {
                            const Clause& c = ag.clauses[i];
                            if (c.kind == ClauseKind::EndUseAssurance && c.from == b && c.to == a && c.good == g &&
                                s.turn <= ag.progress[i].last_turn && agreement < 0)
                                agreement = ag.id;
                        }
                if (agreement < 0)
                    for (const auto& l : s.licenses)
                        if (l.exporter == a && l.importer == b && l.good == g && l.civilian_only && !l.revoked &&
                            l.first_turn <= s.turn && s.turn <= l.last_turn) {
                            agreement = l.agreement_id;
                            break;
                        }
                if (agreement < 0) continue;
                restricted_total += flow;
                sources.emplace_back(a, agreement);
            }
            if (restricted_total <= 0) continue;
            double unrestricted = out.produced(b, g) + out.imported(b, g) - restricted_total +
                                  std::max(0.0, -out.stock_change(b, g)) + std::max(0.0, -out.stockpile_change(b, g));
            double diverted = std::min(restricted_total, defense_use(d, out, b, g) - std::max(0.0, unrestricted));
            if (diverted < 0.05) continue;
            if (!rng.chance(d.licensing.end_use_discovery)) continue;
            for (auto [a, agreement_id] : sources) {
                // Under a license's clause the exporter alone learns of it; under an agreement it is a breach.
                // The loss scales with the share of the restricted material diverted.
                change_trust(d, s, a, b, -d.negotiation.trust.end_use * std::min(1.0, diverted / restricted_total), false);
                std::string what = fmt::format("{:.1f} t of {} from {} went to defense use", diverted, gid(d, g),
                                               cid(d, a));
                log.note(s.turn, "end_use_violation", b, a, [&, agreement_id = agreement_id] {
                    return EventText{
                        fmt::format("found out: {} in {} despite a civilian-only commitment", what, cid(d, b)),
                        {{"good", gid(d, g)}, {"tonnes", diverted}, {"agreement", agreement_id}}};
                });
                if (agreement_id > 0)
                    for (auto& ag : s.agreements)
                        if (ag.id == agreement_id && ag.status == AgreementStatus::Active) breach(d, s, ag, b, what, log);
            }
        }
}

// Re-export checks: controlled material that reached a destination its licensor does not consent to
// (MarketOutcome::reexport_breach) is found with the scenario's probability, one draw per
// (re-exporter, good) in that order. docs/model.md §Origin and re-export control.
void detect_reexport(const Definitions& d, State& s, const MarketOutcome& out, EventList& log) {
    const int G = d.good_count();
    if (out.reexport_breach.count() != G) return;
    Rng rng(s.rng_state);
    for (CountryId a : d.country_ids())
        for (GoodId g : d.good_ids()) {
            double total = 0.0;
            for (CountryId l : d.country_ids()) total += out.reexport_breach[g](a, l);
            if (total < 0.05) continue;
            if (!rng.chance(d.licensing.reexport_discovery)) continue;
            for (CountryId l : d.country_ids()) {
                const double tonnes = out.reexport_breach[g](a, l);
                if (tonnes <= 0) continue;
                // The loss scales with the share of a's disposals of l-controlled material that broke the conditions.
                const double handled = out.controlled_out[g](a, l);
                const double share = handled > 0 ? std::min(1.0, tonnes / handled) : 1.0;
                change_trust(d, s, l, a, -d.negotiation.trust.end_use * share, false);
                int agreement_id = 0;
                for (const auto& ag : s.agreements) {
                    if (ag.status != AgreementStatus::Active || agreement_id > 0) continue;
                    for (size_t i = 0; i < ag.clauses.size(); ++i) {
                        const Clause& c = ag.clauses[i];
                        const bool covers = c.good == g && s.turn <= ag.progress[i].last_turn &&
                                            (((c.kind == ClauseKind::Supply || c.kind == ClauseKind::LicenseFacilitation) &&
                                              c.from == l && c.to == a) ||
                                             (c.kind == ClauseKind::EndUseAssurance && c.from == a && c.to == l));
                        if (covers) agreement_id = ag.id;
                    }
                }
                std::string what = fmt::format("{:.1f} t of {} under {}'s licence conditions re-exported without consent",
                                               tonnes, gid(d, g), cid(d, l));
                log.note(s.turn, "reexport_violation", a, l, [&] {
                    return EventText{
                        fmt::format("found out: {} by {}", what, cid(d, a)),
                        {{"good", gid(d, g)}, {"tonnes", tonnes}, {"share", share}, {"agreement", agreement_id}}};
                });
                if (agreement_id > 0)
                    for (auto& ag : s.agreements)
                        if (ag.id == agreement_id && ag.status == AgreementStatus::Active) breach(d, s, ag, a, what, log);
            }
        }
}

}  // namespace

void move_loans(const Definitions& d, State& s, GoodId g, MarketOutcome& out, EventList& log) {
    for (auto& a : s.agreements) {
        // An agreement that has ended (withdrawn, breached) calls its loans back at once; one
        // being withdrawn from with notice, at the end of the notice period.
        const bool ended = a.status != AgreementStatus::Active;
        const AgreementStatus status = a.status;
        for (size_t i = 0; i < a.clauses.size() && a.status == status; ++i) {
            const Clause& c = a.clauses[i];
            ClauseProgress& p = a.progress[i];
            if (c.kind != ClauseKind::StockpileLoan || c.the_good() != g || p.settled) continue;
            if (!ended && s.turn == a.start_turn && p.delivered <= 0) {
                p.delivered = move_stock(s, c.from, c.to, g, c.tonnes, &out);
                if (p.delivered <= 0) p.settled = true;  // nothing was lent: nothing to return
            }
            if (ended && p.delivered <= 0) p.settled = true;
            if (p.settled) continue;
            int due = ended ? s.turn : p.last_turn;
            if (a.withdraw_turn >= 0) due = std::min(due, a.withdraw_turn);
            if (s.turn < due) continue;
            p.settled = true;
            double back = move_stock(s, c.to, c.from, g, p.delivered, &out);
            if (back + 1e-6 < 0.99 * p.delivered) {
                const std::string what =
                    fmt::format("returned {:.0f} of {:.0f} t of {} lent", back, p.delivered, gid(d, g));
                if (a.status == AgreementStatus::Active) {
                    breach(d, s, a, c.to, what, log);
                } else {
                    // Already ended: the short return still costs the borrower trust, and is public.
                    change_trust(d, s, c.from, c.to, -d.negotiation.trust.breach, true);
                    log.note(s.turn, "agreement_breach", c.to, c.from, [&] {
                        return EventText{fmt::format("{} breaches agreement {} with {}: {}", cid(d, c.to), a.id,
                                                     cid(d, c.from), what),
                                         {{"agreement", a.id},
                                          {"reason", what},
                                          {"trust_after", s.countries[c.from].trust[c.to]}}};
                    });
                }
            } else {
                log.note(s.turn, "loan_returned", c.to, c.from, [&] {
                    return EventText{
                        fmt::format("{} returns {:.0f} t of {} to {}", cid(d, c.to), back, gid(d, g), cid(d, c.from)),
                        {{"agreement", a.id}, {"good", gid(d, g)}, {"tonnes", back}}};
                });
            }
        }
    }
}

void change_trust(const Definitions& d, State& s, CountryId truster, CountryId trusted, double delta, bool reputation) {
    auto bump = [&](CountryId who, double by) {
        double& t = s.countries[who].trust[trusted];
        t = std::clamp(t + by, 0.0, 1.0);
    };
    bump(truster, delta);
    if (reputation)
        for (CountryId c : d.country_ids())
            if (c != truster && c != trusted) bump(c, delta * d.negotiation.trust.reputation);
}

int processing_turns(const Definitions& d, const State& s, CountryId exporter, CountryId importer, GoodId g) {
    return review_timing(d, review_days(d, s, exporter, importer, g)).turns;
}

Agreement& start_agreement(const Definitions& d, State& s, Proposal& p, EventList& log) {
    Agreement a;
    a.id = s.next_id++;
    a.proposal_id = p.id;
    a.proposer = p.from;
    a.acceptor = p.to;
    a.clauses = p.clauses;
    a.note = p.note;
    a.start_turn = s.turn;
    a.end_turn = s.turn;
    for (const Clause& c : a.clauses) {
        ClauseProgress pr;
        pr.last_turn = s.turn + clause_turns(c, p.turns) - 1;
        a.end_turn = std::max(a.end_turn, pr.last_turn);
        switch (c.kind) {
            case ClauseKind::LicenseFacilitation: {
                License& l = grant_license(s, c.from, c.to, c.the_good(), c.tonnes, s.turn, pr.last_turn, c.civilian_only);
                l.agreement_id = a.id;
                pr.license_id = l.id;
                break;
            }
            case ClauseKind::RegimeChange: s.rule(c.from, c.the_good(), c.to).regime = c.regime; break;
            case ClauseKind::TariffChange:
                for (GoodId g : d.good_ids())
                    if (!c.good || c.good == g) s.tariff_on(c.from, g, c.to) = c.rate;
                break;
            case ClauseKind::Investment: {
                const auto& pp = d.process[static_cast<int>(d.goods[c.the_good()].process)];
                Project& proj = start_project(d, s, c.from, c.to, c.the_good(), c.tonnes, c.share, false, pp.lead_turns);
                proj.owner_capex_share = c.capex_share;
                pr.project_id = proj.id;
                break;
            }
            case ClauseKind::StockpileLoan: break;  // moves with this turn's markets (move_loans)
            case ClauseKind::Payment:
                if (!c.per_turn) {
                    pay(s, c.from, c.to, c.usd);
                    pr.delivered = c.usd;
                    pr.settled = true;
                }
                break;
            default: break;
        }
        a.progress.push_back(pr);
    }
    p.status = ProposalStatus::Accepted;
    p.answered_turn = s.turn;
    p.agreement_id = a.id;
    s.agreements.push_back(std::move(a));
    Agreement& ag = s.agreements.back();
    log.note(s.turn, "agreement", ag.proposer, ag.acceptor, [&] {
        nlohmann::json clauses = nlohmann::json::array();
        for (const auto& c : ag.clauses) clauses.push_back(to_json(d, c));
        return EventText{fmt::format("agreement {} between {} and {} until {}: {}", ag.id, cid(d, ag.proposer),
                                     cid(d, ag.acceptor), d.date_of_turn(ag.end_turn), describe(d, ag.clauses)),
                         {{"agreement", ag.id},
                          {"proposal", p.id},
                          {"end_turn", ag.end_turn},
                          {"clauses", clauses},
                          {"binding", d.negotiation.binding}}};
    });
    // What the agreement changed at once in the parties' rules, as the commands would log it.
    for (const Clause& c : ag.clauses) {
        if (c.kind == ClauseKind::RegimeChange)
            log.note(s.turn, "regime_change", c.from, c.to, [&] {
                return EventText{fmt::format("{} sets exports of {} to {}: {} (agreement {})", cid(d, c.from),
                                             gid(d, c.the_good()), cid(d, c.to), to_string(c.regime), ag.id),
                                 {{"good", gid(d, c.the_good())},
                                  {"destination", cid(d, c.to)},
                                  {"regime", to_string(c.regime)},
                                  {"agreement", ag.id}}};
            });
        if (c.kind == ClauseKind::TariffChange)
            log.note(s.turn, "tariff_change", c.from, c.to, [&] {
                const std::string good = c.good ? gid(d, *c.good) : std::string("all");
                return EventText{fmt::format("{} sets a tariff of {:.0f}% on {} from {} (agreement {})", cid(d, c.from),
                                             c.rate * 100, good, cid(d, c.to), ag.id),
                                 {{"good", good}, {"origin", cid(d, c.to)}, {"rate", c.rate}, {"agreement", ag.id}}};
            });
    }
    return ag;
}

std::string withdraw_agreement(const Definitions& d, State& s, CountryId by, int agreement_id, const std::string& why,
                               EventList& log) {
    auto it = std::find_if(s.agreements.begin(), s.agreements.end(), [&](const Agreement& a) { return a.id == agreement_id; });
    if (it == s.agreements.end()) return fmt::format("no agreement {}", agreement_id);
    Agreement& a = *it;
    if (!a.involves(by)) return fmt::format("agreement {} is between {} and {}, not you", a.id, cid(d, a.proposer),
                                            cid(d, a.acceptor));
    if (a.status != AgreementStatus::Active) return fmt::format("agreement {} is already {}", a.id, to_string(a.status));
    if (a.withdraw_turn >= 0) return fmt::format("agreement {} is already being withdrawn from", a.id);
    CountryId other = a.other(by);
    change_trust(d, s, other, by, -d.negotiation.trust.withdrawal, true);
    std::string text;
    if (d.negotiation.binding && d.negotiation.notice_turns > 0) {
        a.withdraw_turn = s.turn + d.negotiation.notice_turns;
        a.ended_by = by;
        text = fmt::format("{} gives notice to withdraw from agreement {} with {}: it ends after {}", cid(d, by), a.id,
                           cid(d, other), d.date_of_turn(a.withdraw_turn));
    } else {
        end_agreement(s, a, AgreementStatus::Withdrawn, by, why.empty() ? "withdrawn" : why);
        text = fmt::format("{} withdraws from agreement {} with {}", cid(d, by), a.id, cid(d, other));
    }
    if (!why.empty()) text += fmt::format(" — \"{}\"", why);
    log.note(s.turn, "agreement_withdrawal", by, other, [&] {
        return EventText{
            text,
            {{"agreement", a.id}, {"note", why}, {"effective_turn", a.withdraw_turn >= 0 ? a.withdraw_turn : s.turn}}};
    });
    return "";
}

void settle_agreements(const Definitions& d, State& s, const MarketOutcome& out, EventList& log) {
    const NegotiationParams& np = d.negotiation;
    // Each index is visited once; breaches may append nothing, so plain indexing is safe.
    for (size_t k = 0; k < s.agreements.size(); ++k) {
        Agreement& a = s.agreements[k];
        if (a.status != AgreementStatus::Active) continue;
        for (size_t i = 0; i < a.clauses.size() && a.status == AgreementStatus::Active; ++i) {
            const Clause& c = a.clauses[i];
            ClauseProgress& p = a.progress[i];
            if (s.turn > p.last_turn) continue;
            switch (c.kind) {
                case ClauseKind::Supply: {
                    // Embargoing the contracted good to the buyer contradicts the clause at once, like a
                    // tightened regime (no grace as for late deliveries). Binding mode refuses such a
                    // command, so there only a scripted or injected event can do it.
                    if (s.rule(c.from, c.the_good(), c.to).regime == Regime::Embargo) {
                        breach(d, s, a, c.from,
                               fmt::format("embargoed {} to {} against its supply clause", gid(d, c.the_good()), cid(d, c.to)),
                               log);
                        break;
                    }
                    double owed = c.tonnes + p.arrears;
                    p.delivered += p.this_turn;
                    p.arrears = std::max(0.0, owed - p.this_turn);
                    bool last = s.turn == p.last_turn;
                    double allowed = last ? 0.01 * c.tonnes : np.arrears_grace * c.tonnes;
                    if (p.arrears > allowed + 1e-6) {
                        breach(d, s, a, c.from,
                               fmt::format("delivered {:.0f} of {:.0f} t of {} owed", p.this_turn, owed, gid(d, c.the_good())),
                               log);
                    } else if (p.this_turn + 1e-6 >= c.tonnes) {
                        change_trust(d, s, c.to, c.from, np.trust.kept_per_turn, false);
                    }
                    p.this_turn = 0.0;
                    break;
                }
                case ClauseKind::Payment:
                    if (!c.per_turn) break;
                    if (s.countries[c.from].treasury >= c.usd) {
                        pay(s, c.from, c.to, c.usd);
                        p.delivered += c.usd;
                        change_trust(d, s, c.to, c.from, np.trust.kept_per_turn, false);
                    } else {
                        breach(d, s, a, c.from, fmt::format("could not pay ${:.1f}M", c.usd / 1e6), log);
                    }
                    break;
                default:
                    // Binding mode refuses contradicting commands; a scripted or injected event
                    // (a regime, a tariff) still can contradict, and that is the country's breach.
                    if (auto what = broken_commitment(d, s, c, p); !what.empty()) breach(d, s, a, c.from, what, log);
                    break;
            }
        }
    }
    detect_diversion(d, s, out, log);
    detect_reexport(d, s, out, log);
    // Notice periods and expiry.
    for (auto& a : s.agreements) {
        if (a.status != AgreementStatus::Active) continue;
        if (a.withdraw_turn >= 0 && s.turn >= a.withdraw_turn) {
            end_agreement(s, a, AgreementStatus::Withdrawn, a.ended_by, "withdrawn after notice");
            log.note(s.turn, "agreement_ended", a.ended_by, a.other(a.ended_by), [&] {
                return EventText{fmt::format("agreement {} between {} and {} ends: {} withdrew", a.id,
                                             cid(d, a.proposer), cid(d, a.acceptor), cid(d, a.ended_by)),
                                 {{"agreement", a.id}, {"status", "withdrawn"}}};
            });
        } else if (s.turn >= a.end_turn) {
            end_agreement(s, a, AgreementStatus::Expired, kNoCountry, "completed");
            change_trust(d, s, a.proposer, a.acceptor, np.trust.completed, false);
            change_trust(d, s, a.acceptor, a.proposer, np.trust.completed, false);
            log.note(s.turn, "agreement_ended", a.proposer, a.acceptor, [&] {
                return EventText{fmt::format("agreement {} between {} and {} is complete", a.id, cid(d, a.proposer),
                                             cid(d, a.acceptor)),
                                 {{"agreement", a.id}, {"status", "expired"}}};
            });
        }
    }
}

}  // namespace chokepoint
