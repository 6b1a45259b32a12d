import pytest

from attempt_tui.demo.faults import KINDS
from attempt_tui.ui.widgets.detail import DetailPane
from attempt_tui.ui.widgets.message_table import MessageTable
from tests.ui.helpers import wait_for


@pytest.mark.parametrize("kind", KINDS)
async def test_explore(kind, make_faulty_app, plan, faulty_demo):
    app = make_faulty_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.main_screen
        table = screen.query_one(MessageTable)
        detail = screen.query_one(DetailPane)
        await wait_for(pilot, lambda: table.row_count == 50 and detail.detail is not None)
        plan.add(kind)
        await pilot.pause(1.5)
        lines = [
            f"== {kind}",
            f"errors={screen.errors}",
            f"status={screen.query_one('#status-line').render()}",
            f"notes={[str(n.message) for n in app._notifications]}",
            f"rows={table.row_count} query={app.data_worker.query.endpoint_id} detail={detail.detail is not None} page_info={screen.query_one('#page-info').render()}",
            f"focused={app.focused}",
            f"injected={len(plan.injected)}",
        ]
        plan.off()
        await pilot.pause(1.5)
        lines += [
            f"AFTER errors={screen.errors}",
            f"rows={table.row_count} query={app.data_worker.query.endpoint_id} detail={detail.detail is not None}",
            f"notes={[str(n.message) for n in app._notifications]}",
        ]
        open(f"/tmp/fx/{kind}.txt", "w").write("\n".join(lines) + "\n")
