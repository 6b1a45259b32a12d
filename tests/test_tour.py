"""The onboarding tour's steps advance in order from what the screen reports."""

from __future__ import annotations

from attempt_tui.tour import STEPS, Tour, TourState

TARGET = TourState(target_endpoint_id="ep_flaky", target_endpoint_url="https://flaky")


def test_walks_every_step_in_order() -> None:
    tour = Tour()
    assert "https://flaky" in tour.line(TARGET)
    assert not tour.advance(TourState(endpoint_id="ep_other", target_endpoint_id="ep_flaky"))
    state = TourState(endpoint_id="ep_flaky", target_endpoint_id="ep_flaky")
    assert tour.advance(state) and tour.index == 1
    state = TourState(endpoint_id="ep_flaky", target_endpoint_id="ep_flaky", fail_filter=True)
    tour.advance(state)
    assert tour.index == 2
    opened = TourState(
        endpoint_id="ep_flaky",
        target_endpoint_id="ep_flaky",
        fail_filter=True,
        detail_open=True,
        selected_status=2,
    )
    tour.advance(opened)
    assert tour.index == 3
    tour.advance(TourState(**{**opened.__dict__, "confirm_open": True}))
    assert tour.index == 4
    tour.advance(TourState(**{**opened.__dict__, "watching": True}))
    assert tour.index == 5
    tour.advance(TourState(**{**opened.__dict__, "landed": True}))
    assert tour.finished and "complete" in tour.line(opened)


def test_a_later_step_does_not_count_before_the_earlier_ones() -> None:
    tour = Tour()
    tour.advance(TourState(fail_filter=True, landed=True, target_endpoint_id="ep_x"))
    assert tour.index == 0
    assert len(STEPS) == 6
