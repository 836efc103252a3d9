"""The timeline names every recorded action in words, never by its code (issue 9: the receipt
of a document showed as `receive_document`)."""

import pytest
from django.utils import translation

from workflows.templatetags.xianjie import event_label


@pytest.mark.parametrize(
    ("action", "chinese"),
    [
        ("receive_document", "签收文书"),
        ("record_paper_service", "登记文书纸质送达"),
        ("service_unreceived_warning", "文书尚未签收，已提醒发送方"),
        ("clock_recomputed", "按公布的放假安排重新计算法定期限"),
    ],
)
def test_service_and_clock_events_are_labelled(action, chinese):
    with translation.override("zh-hans"):
        assert str(event_label(action)) == chinese
    with translation.override("en"):
        assert str(event_label(action)) != action
