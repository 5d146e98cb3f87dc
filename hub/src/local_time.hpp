// Stores' local days and hours: the dashboard counts by the day and hour on the store's own clock. Zones
// come from the system's time zone database (Debian's tzdata, kept current by apt), not from a copy built
// into a library, so that a zone whose rules changed last year comes out as the store lives it.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "truthpoint/core/result.hpp"
#include "truthpoint/core/time.hpp"

namespace date {
class time_zone;
}

namespace truthpoint::hub {

struct LocalTime {
    std::string date;     // 'YYYY-MM-DD'
    int hour = 0;         // 0-23
    int iso_weekday = 1;  // 1 Monday .. 7 Sunday
};

// An IANA time zone ("Asia/Tehran", "UTC"). Cheap to copy; safe to use from several threads.
class TimeZone {
public:
    // InvalidArgument naming `name` when the system's database does not know it.
    static core::Result<TimeZone> named(std::string_view name);
    static TimeZone utc();

    const std::string& name() const { return name_; }
    LocalTime local(core::Timestamp instant) const;
    // The instant local day `date` ('YYYY-MM-DD') begins: its first existing minute, where a clock change
    // skips midnight.
    core::Timestamp day_starts(std::string_view date) const;

    // The zone's offset from UTC at `instant`, and the instants [begin, end) it holds for.
    struct OffsetSpan {
        std::chrono::seconds offset{};
        core::Timestamp begin{};
        core::Timestamp end{};
    };
    OffsetSpan offset_at(core::Timestamp instant) const;

private:
    TimeZone(std::string name, const date::time_zone* zone) : name_(std::move(name)), zone_(zone) {}
    std::string name_;
    const date::time_zone* zone_;  // the database's own, alive as long as the program
};

// TimeZone::local for many instants in a row, as a writer of events needs it: the zone's rules are
// looked up once per offset change and a day's text is made once, instead of at every instant. Not for
// several threads at once.
class LocalClock {
public:
    explicit LocalClock(TimeZone zone) : zone_(std::move(zone)) {}
    const TimeZone& zone() const { return zone_; }
    LocalTime local(core::Timestamp instant);

private:
    TimeZone zone_;
    TimeZone::OffsetSpan span_{};  // empty until the first instant
    std::int64_t day_ = 0;         // days since 1970-01-01 (local) of `date_`
    LocalTime day_text_;           // date and weekday of day_; hour unused
    bool has_day_ = false;
};

// Calendar days as 'YYYY-MM-DD' text, the form the rollups keep.
bool is_local_date(std::string_view text);           // a real day: 2026-02-29 is not
std::string add_days(std::string_view date, int days);  // `date` must satisfy is_local_date
int days_between(std::string_view from, std::string_view to);  // to - from, in days
int iso_weekday(std::string_view date);              // 1 Monday .. 7 Sunday
std::string utc_date(core::Timestamp instant);

}  // namespace truthpoint::hub
