// Where flows put the events they capture. The kiosk's sink commits them on a worker thread
// (EventRecorder); tests may commit them directly into a Ledger.
#pragma once

#include "truthpoint/core/event.hpp"

namespace truthpoint::app {

class EventSink {
public:
    virtual ~EventSink() = default;
    // Must not block on disk when called from the UI thread.
    virtual void record(core::Event event) = 0;
};

}  // namespace truthpoint::app
