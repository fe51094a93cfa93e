#include "engine/world/definitions.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>

#include "engine/world/scenario.hpp"
#include "engine/world/state.hpp"

namespace chokepoint {

const char* to_string(Process p) {
    switch (p) {
        case Process::Mining: return "mining";
        case Process::Separation: return "separation";
        case Process::MagnetMaking: return "magnet_making";
    }
    return "?";
}

const char* to_string(Regime r) {
    switch (r) {
        case Regime::Open: return "open";
        case Regime::Licensed: return "licensed";
        case Regime::Embargo: return "embargo";
    }
    return "?";
}

std::optional<Regime> regime_from_string(const std::string& s) {
    if (s == "open") return Regime::Open;
    if (s == "licensed") return Regime::Licensed;
    if (s == "embargo") return Regime::Embargo;
    return std::nullopt;
}

const char* to_string(EndUse e) { return e == EndUse::Defense ? "defense" : "civilian"; }

const char* to_string(ApplicationStatus s) {
    switch (s) {
        case ApplicationStatus::Pending: return "pending";
        case ApplicationStatus::Approved: return "approved";
        case ApplicationStatus::Denied: return "denied";
        case ApplicationStatus::Expired: return "expired";
    }
    return "?";
}

const char* to_string(EventKind k) {
    switch (k) {
        case EventKind::News: return "news";
        case EventKind::Regime: return "regime";
        case EventKind::ExportQuota: return "export_quota";
        case EventKind::ProductionQuota: return "production_quota";
        case EventKind::ExportDuty: return "export_duty";
        case EventKind::Capacity: return "capacity";
        case EventKind::Demand: return "demand";
        case EventKind::Reserves: return "reserves";
        case EventKind::Project: return "project";
        case EventKind::Trust: return "trust";
        case EventKind::Agreement: return "agreement";
        case EventKind::Stockpile: return "stockpile";
        case EventKind::ApprovalPolicy: return "approval_policy";
        case EventKind::Tariff: return "tariff";
        case EventKind::GeneralLicense: return "general_license";
        case EventKind::PriceFloor: return "price_floor";
        case EventKind::LicensingRules: return "licensing_rules";
    }
    return "?";
}

template <typename T>
static int index_of(const std::vector<T>& items, const std::string& id) {
    for (size_t i = 0; i < items.size(); ++i)
        if (items[i].id == id) return static_cast<int>(i);
    return -1;
}

int Definitions::good_index(const std::string& id) const { return index_of(goods.values(), id); }
int Definitions::sector_index(const std::string& id) const { return index_of(sectors.values(), id); }
int Definitions::country_index(const std::string& id) const { return index_of(countries.values(), id); }

int Definitions::turns_for_months(int months) const {
    if (months <= 0) return 0;
    return std::max(1, (2 * months + turn_months) / (2 * turn_months));
}

double Definitions::per_turn_share(double per_quarter) const {
    if (turn_months == 3) return per_quarter;
    return 1.0 - std::pow(1.0 - per_quarter, turn_months / 3.0);
}

double Definitions::per_turn_growth(double per_quarter) const {
    if (turn_months == 3) return per_quarter;
    return std::pow(1.0 + per_quarter, turn_months / 3.0) - 1.0;
}

double Definitions::per_turn_amount(double per_quarter) const {
    if (turn_months == 3) return per_quarter;
    return per_quarter * turn_months / 3.0;
}

std::string Definitions::date_of_turn(int turn) const {
    int months = (start_month - 1) + turn * turn_months;
    int year = start_year + months / 12;
    int month = months % 12 + 1;
    return fmt::format("{:04d}-{:02d}", year, month);
}

}  // namespace chokepoint

namespace chokepoint {
const char* to_string(CashFlow f) {
    switch (f) {
        case CashFlow::Sales: return "sales";
        case CashFlow::Purchases: return "purchases";
        case CashFlow::ProductionCost: return "production_cost";
        case CashFlow::TariffRevenue: return "tariff_revenue";
        case CashFlow::DutyRevenue: return "duty_revenue";
        case CashFlow::Subsidies: return "subsidies";
        case CashFlow::StockpileTrade: return "stockpile_trade";
        case CashFlow::StorageCost: return "storage_cost";
        case CashFlow::Capex: return "capex";
        case CashFlow::PrivateCapex: return "private_capex";
        case CashFlow::Count: break;
    }
    return "?";
}
}  // namespace chokepoint
