"""The web UI in headless Chromium against the live server: officers of the market-supervision
bureau, the police and the procuratorate log in through the login form, claim each task from
their queue and submit the step's form on the task page.

Every page shown is saved as a full-page screenshot under
artifacts/screenshots/<test>/<NN-step>.png (relative to the repository root), once per walk: a
page the walk saved already (the login form, an empty queue) is not saved again."""

import base64
import re
import shutil
from datetime import timedelta

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from referral import lifecycle
from referral.demo import placeholder_pdf
from referral.models import Referral
from referral.timeutil import now
from tests.referral.documents.fixtures import real_pdf_renderer  # noqa: F401

S = lifecycle.Status
# The flow sync runs on commit and the server thread needs the test's rows: real transactions.
# serialized_rollback brings back the roles and calendar the migrations seed, which the flush
# after each transactional test removes.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PASSWORD = "browser-test-pw"
PEOPLE = {  # World's usernames (tests/factories.py) -> the full names the pages show
    "fc-case_officer": "王承办",
    "fc-case_officer2": "李协办",
    "fc-agency_head": "赵局长",
    "fc-police_intake": "钱受理",
    "fc-police_reviewer": "孙审查",
    "fc-police_head": "吴局长",
    "fc-procurator": "周检察",
}
AGENCY_NAMES = {
    "fc-msa": "涪城区市场监督管理局",
    "fc-police": "绵阳市公安局涪城区分局",
    "fc-proc": "涪城区人民检察院",
}
TITLE = "某食品公司销售有毒有害食品案"  # World.new_referral's title too
# Uploads are checked by content: a real one-pixel PNG and real one-page PDFs.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
# 《行政执法机关移送涉嫌犯罪案件的规定》第六条: the officer attaches items ④ and ⑤; the transfer
# step issues ① to ③ itself (issue 9).
TRANSFER_UPLOADS = (
    ("检验报告或者鉴定结论", "检验报告.png"),
    ("其他有关涉嫌犯罪的材料", "其他材料.pdf"),
)
PDF_VIEWER = "chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/"  # Chromium's built-in one
# Users whose own cases' tasks come to them without claiming (the case's creator).
CASE_OWNERS = {"fc-case_officer"}


class Desk:
    """One browser tab, used in turn by whoever is logged in; every page it shows is saved."""

    def __init__(self, page: Page, base_url: str, shots):
        self.page, self.base_url, self.shots = page, base_url, shots
        self.count, self.user = 0, None
        self.saved = set()  # the pages saved so far: address and text

    # --- pages --------------------------------------------------------------------------------

    def snap(self, step: str) -> None:
        """Saves the page unless this walk saved the same one already (same address and text;
        what is typed into a form does not count). PNG, which the team's image viewer reads
        (JPEG would be about a quarter quicker)."""
        page = self.page.evaluate(
            "() => location.pathname + location.search + document.body.innerText"
        )
        if page in self.saved:
            return
        self.saved.add(page)
        self.count += 1
        path = self.shots / f"{self.count:02d}-{step}.png"
        self.page.screenshot(path=path, full_page=True, animations="disabled")

    def go(self, url_name: str, *args, step: str) -> None:
        self.page.goto(self.base_url + reverse(f"xianjie:{url_name}", args=args))
        self.snap(step)

    def submit(self, button, step: str) -> None:
        """Clicks a button that posts a form and fails on any error the next page shows."""
        with self.page.expect_navigation():
            button.click()
        self.snap(step)
        errors = self.page.locator(".xj-msg--error, .errorlist").all_inner_texts()
        assert not errors, errors

    def expect_message(self, text: str) -> None:
        expect(self.page.locator(".xj-messages")).to_contain_text(text)

    def expect_status(self, label: str) -> None:
        expect(self.page.get_by_test_id("referral-status")).to_have_text(label)

    # --- what a user does ---------------------------------------------------------------------

    def login(self, username: str) -> None:
        if self.user:
            self.page.locator(".vf-page__menu-toggle-button").click()  # the user menu
            with self.page.expect_navigation(url="**" + reverse("login")):
                self.page.get_by_role("button", name="退出登录").click()
        else:
            self.page.goto(self.base_url + reverse("login"))
        self.page.get_by_label("用户名").fill(username)
        self.page.get_by_label("密码").fill(PASSWORD)
        self.snap(f"login-{username}")
        self.submit(self.page.get_by_role("button", name="登录"), f"home-{username}")
        expect(self.page.locator(".xj-card h2").first).to_contain_text(PEOPLE[username])
        self.user = username

    def open_referral(self, fields: dict[str, str]) -> int:
        self.page.get_by_role("link", name="新建移送案件").click()
        self.page.wait_for_url("**" + reverse("xianjie:referral_new"))
        self.snap("new-referral")
        form = self.page.locator("form", has=self.page.get_by_label("案件名称"))
        for label, value in fields.items():
            field = form.get_by_label(label)
            if field.evaluate("e => e.tagName") == "SELECT":
                field.select_option(value)  # the charge, from the controlled list
            else:
                field.fill(value)
        self.submit(form.get_by_role("button", name="建立移送案件"), "referral-opened")
        self.expect_message("已建立移送案件")
        self.expect_status("行政立案查处中")
        return int(re.search(r"/referrals/(\d+)/", self.page.url).group(1))

    def claim_and_open(self, title: str, step: str) -> None:
        """Opens the referral's task from the queue and claims it (领取); its step forms are
        below."""
        self.go("queue", step=f"queue-{step}")
        self.submit(self.page.get_by_test_id("task-list").get_by_role("link", name=title), step)
        panel = self.page.get_by_test_id("task-panel")
        self.submit(panel.get_by_role("button", name="领取", exact=True), f"{step}-claimed")
        expect(panel).to_contain_text(f"办理人: {PEOPLE[self.user]}")
        expect(panel.get_by_role("button", name="领取", exact=True)).to_have_count(0)

    def open_own(self, title: str, step: str) -> None:
        """Opens the task of the officer's own case from their inbox: it is theirs already,
        step after step (issue 9), never in the queue."""
        self.go("queue", step=f"queue-{step}")
        expect(self.page.get_by_test_id("task-list")).not_to_contain_text(title)
        self.go("inbox", step=f"inbox-{step}")
        self.submit(self.page.get_by_test_id("task-list").get_by_role("link", name=title), step)
        panel = self.page.get_by_test_id("task-panel")
        expect(panel).to_contain_text(f"办理人: {PEOPLE[self.user]}")
        expect(panel.get_by_role("button", name="领取", exact=True)).to_have_count(0)

    def open_task(self, title: str, step: str) -> None:
        if self.user in CASE_OWNERS:
            self.open_own(title, step)
        else:
            self.claim_and_open(title, step)

    def act(self, shot: str, label: str, status: str, **step_inputs) -> None:
        """Opens the referral's task (claimed from the queue unless it is the user's own case),
        takes step `label` and checks the status."""
        self.open_task(TITLE, shot)
        self.take_step(label, **step_inputs)
        self.expect_status(status)

    def take_step(self, label: str, *, reason: str = "", police_agency: str = "") -> None:
        """Submits the step form headed `label` (the step's Chinese name)."""
        form = self.page.locator('form[data-testid^="step-"]').filter(
            has=self.page.get_by_role("heading", name=label, exact=True)
        )
        if reason:  # a reason where the law asks one, an approval opinion on a head's decision
            form.get_by_label(re.compile(r"(理由|审批意见)（必填）")).fill(reason)
        if police_agency:
            form.get_by_label("接收案件的公安机关").select_option(label=police_agency)
        # The receipt's checklist (Decree 310 art 6): every item found complete here.
        for complete in form.get_by_role("radio", name="齐全").all():
            complete.check()
        self.submit(form.get_by_role("button", name=label, exact=True), f"done-{label}")
        self.expect_message(f"已办理：{label}。")

    def upload(self, kind: str, name: str, data: bytes) -> None:
        form = self.page.get_by_test_id("upload")
        form.get_by_label("类型").select_option(label=kind)
        mime = "image/png" if name.endswith(".png") else "application/pdf"
        form.get_by_label("文件").set_input_files(
            files=[{"name": name, "mimeType": mime, "buffer": data}]
        )
        self.submit(form.get_by_role("button", name="上传"), f"uploaded-{name}")
        self.expect_message("文件已上传。")
        expect(self.page.get_by_test_id("attachments")).to_contain_text(name)

    def read_attachment(self, name: str) -> None:
        """Opens the attachment from the case page in the browser's own viewer (a new tab) and
        checks that the read is on record for the reader's agency."""
        attachments = self.page.get_by_test_id("attachments")
        with self.page.context.expect_page() as opened:
            attachments.get_by_role("link", name=name).click()
        viewer = opened.value
        # Chromium's PDF viewer is an extension frame in the tab; it draws the document after
        # the load event, its page thumbnails last.
        frame = next((f for f in viewer.frames if f.url.startswith(PDF_VIEWER)), None)
        if frame is None:
            frame = viewer.wait_for_event(
                "framenavigated", predicate=lambda f: f.url.startswith(PDF_VIEWER)
            )
        frame.locator("viewer-thumbnail canvas").first.wait_for(state="attached")
        self.count += 1
        viewer.screenshot(path=self.shots / f"{self.count:02d}-read-{name}.png")
        viewer.close()
        self.page.reload()
        expect(self.page.get_by_test_id("attachment-reads")).to_contain_text("本机关已查阅")

    def add_seized_item(self, name: str, quantity: str, unit: str) -> None:
        self.page.get_by_text("添加涉案物品", exact=True).first.click()  # opens the <details>
        form = self.page.get_by_test_id("add-seized-item")
        form.get_by_label("名称").fill(name)
        form.get_by_label("数量").fill(quantity)
        form.get_by_label("计量单位").fill(unit)
        self.submit(form.get_by_role("button", name="添加涉案物品"), f"seized-{name}")
        self.expect_message("已添加涉案物品。")
        expect(self.page.get_by_test_id("seized-items")).to_contain_text(name)

    def appoint_case_group(self, *names: str) -> None:
        self.page.get_by_text("指定专案组", exact=True).first.click()  # opens the <details>
        form = self.page.get_by_test_id("set-team")
        for name in names:
            form.get_by_label(name).check()
        self.submit(form.get_by_role("button", name="指定专案组"), "case-group")
        self.expect_message("已指定专案组。")
        for name in names:  # the page lists the group in no particular order
            expect(self.page.get_by_test_id("team")).to_contain_text(name)


@pytest.fixture
def desk(browser_page: Page, live_server, world, request):
    for user in world.users.values():
        user.full_name = PEOPLE.get(user.username, "")
        user.set_password(PASSWORD)
        user.save()
    for code, name in AGENCY_NAMES.items():
        world.agencies[code].name = name
        world.agencies[code].save()
    shots = request.config.rootpath / "artifacts" / "screenshots" / request.node.name
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
    return Desk(browser_page, live_server.url, shots)


def steps_taken(referral_id: int) -> list[tuple[str, str]]:
    """(step, username) of every lifecycle step in the referral's audit trail, in order."""
    names = lifecycle.transitions()
    events = Referral.objects.get(pk=referral_id).events.select_related("actor").order_by("seq")
    return [(e.action, e.actor.username) for e in events if e.action in names]


# The officer downloads a statutory document as issued: WeasyPrint's layout, not the plain PDF.
# The other walks open no document and keep the test settings' plain one.
@pytest.mark.usefixtures("real_pdf_renderer")
def test_main_line_from_filing_to_handing_over_the_seized_items(desk):
    desk.login("fc-case_officer")
    referral_id = desk.open_referral(
        {
            "案件名称": TITLE,
            "涉嫌罪名": "toxic_food",
            "涉案金额（元）": "128000.00",
            "案件事实": "经查，当事人在其生产的卤制品中添加国家禁用物质，货值金额十二万八千元。",
        }
    )
    desk.act("officer-find-crime", "认定涉嫌犯罪", "发现涉嫌犯罪")
    desk.appoint_case_group("王承办", "李协办")  # 专案组 of two or more (《规定》第五条)
    desk.upload("移送涉嫌犯罪案件的书面报告", "书面报告.pdf", placeholder_pdf("transfer report"))
    desk.act("officer-report", "提交移送报告", "移送报告待审批")

    desk.login("fc-agency_head")
    desk.claim_and_open(TITLE, "head-approve")
    desk.read_attachment("书面报告.pdf")  # the head reads the report before approving it
    desk.take_step("批准移送")
    desk.expect_status("已批准移送")

    desk.login("fc-case_officer")
    desk.go("referral_detail", referral_id, step="officer-case-page")
    desk.add_seized_item("卤制品", "86", "千克")
    for kind, name in TRANSFER_UPLOADS:
        desk.upload(kind, name, PNG if name.endswith(".png") else placeholder_pdf(name))
    desk.act(
        "officer-transfer",
        "移送公安机关",
        "已移送，待接收",
        police_agency=AGENCY_NAMES["fc-police"],
    )

    desk.login("fc-police_intake")
    desk.act("intake-receipt", "签收回执", "公安机关已受理")
    desk.act(
        "intake-supplement",
        "通知补充材料",
        "已通知补充材料",
        reason="缺少检验机构资质证明，请补充。",
    )

    desk.login("fc-case_officer")
    desk.open_own(TITLE, "officer-supplement")
    expect(desk.page.get_by_test_id("timeline")).to_contain_text("缺少检验机构资质证明")
    desk.upload("补充材料", "检验机构资质证明.pdf", placeholder_pdf("accreditation"))
    desk.take_step("补充材料")
    desk.expect_status("公安机关审查中")

    # The reviewer proposes, the police head decides (MPS procedure rules art. 178).
    desk.login("fc-police_reviewer")
    desk.act("reviewer-propose-filing", "提出立案意见", "已提出立案意见，待公安机关负责人批准")
    desk.login("fc-police_head")
    desk.act("head-file", "批准立案", "已立案", reason="同意立案。")

    desk.login("fc-case_officer")
    desk.act("officer-hand-over", "移交涉案物品", "涉案物品已移交")
    expect(desk.page.get_by_test_id("timeline")).to_contain_text("已立案 → 涉案物品已移交")
    documents = desk.page.get_by_test_id("documents")
    for title in ("涉嫌犯罪案件移送书", "涉案物品清单", "立案通知书", "移交涉案物品清单"):
        expect(documents).to_contain_text(title)
    with desk.page.expect_download() as download:
        documents.get_by_test_id("document-handover_list-v1").get_by_role(
            "link", name="下载"
        ).click()
    assert download.value.suggested_filename.endswith(".pdf")

    referral = Referral.objects.get(pk=referral_id)
    assert referral.status == S.ITEMS_HANDED_OVER
    assert referral.filed_at and referral.items_handed_over_at
    assert referral.attachments.count() == 4  # the report, items ④ and ⑤, the supplement
    assert steps_taken(referral_id) == [
        ("find_suspected_crime", "fc-case_officer"),
        ("submit_transfer_report", "fc-case_officer"),
        ("approve_transfer", "fc-agency_head"),
        ("transfer", "fc-case_officer"),
        ("sign_receipt", "fc-police_intake"),
        ("request_supplement", "fc-police_intake"),
        ("supplement_materials", "fc-case_officer"),
        ("propose_filing", "fc-police_reviewer"),
        ("file_case", "fc-police_head"),
        ("hand_over_items", "fc-case_officer"),
    ]


def test_non_filing_upheld_on_reconsideration_then_explanation_required(desk, world):
    # Up to the receipt this is the main line above: the services take it here, at the times
    # it would have happened earlier today.
    world.t = now() - timedelta(hours=12)
    referral_id = world.reach(S.RECEIVED_BY_POLICE).pk

    desk.login("fc-police_intake")
    desk.act("intake-accept", "受理审查", "公安机关审查中")

    desk.login("fc-police_reviewer")
    desk.act(
        "reviewer-propose-non-filing",
        "提出不予立案意见",
        "已提出不予立案意见，待公安机关负责人批准",
        reason="现有证据不能证明货值金额达到立案追诉标准。",
    )
    desk.login("fc-police_head")
    desk.act("head-decline", "批准不予立案", "不予立案", reason="同意不予立案。")

    desk.login("fc-case_officer")
    desk.act(
        "officer-reconsideration",
        "提请复议",
        "已提请复议，待决定",
        reason="检验报告已证明添加禁用物质，不以货值金额为限。",
    )

    # The reviewer proposes the reconsideration decision, the head takes it (MPS arts. 178, 181).
    desk.login("fc-police_reviewer")
    desk.act(
        "reviewer-propose-uphold",
        "提出复议维持不予立案意见",
        "已提出复议维持不予立案意见，待公安机关负责人批准",
        reason="复议审查认为，现有证据仍不能证明达到立案追诉标准。",
    )
    desk.login("fc-police_head")
    desk.open_task(TITLE, "head-uphold")
    expect(desk.page.get_by_test_id("proposal")).to_contain_text("仍不能证明达到立案追诉标准")
    desk.take_step("复议维持不予立案", reason="经复议，维持不予立案决定。")
    desk.expect_status("复议维持不予立案")

    # The procurator reviews on the agency's request for filing supervision (《规定》第九条).
    desk.login("fc-case_officer")
    desk.act(
        "officer-supervision",
        "建议人民检察院立案监督",
        "已建议立案监督",
        reason="公安机关复议维持不予立案，建议立案监督。",
    )

    desk.login("fc-procurator")
    desk.act("procurator-accept", "受理立案监督建议", "立案监督审查中")
    desk.act("procurator-explanation", "要求公安机关说明不立案理由", "已要求说明不立案理由")

    desk.login("fc-police_reviewer")  # the explanation is now the police's task
    desk.go("queue", step="reviewer-queue-explanation")
    expect(desk.page.get_by_test_id("task-list")).to_contain_text("已要求说明不立案理由")

    referral = Referral.objects.get(pk=referral_id)
    assert referral.status == S.EXPLANATION_REQUESTED
    assert referral.filed_at is None
    assert steps_taken(referral_id)[-9:] == [
        ("begin_review", "fc-police_intake"),
        ("propose_non_filing", "fc-police_reviewer"),
        ("decline_filing", "fc-police_head"),
        ("request_reconsideration", "fc-case_officer"),
        ("propose_upholding_non_filing", "fc-police_reviewer"),
        ("reconsider_uphold", "fc-police_head"),
        ("request_filing_supervision", "fc-case_officer"),
        ("accept_supervision_request", "fc-procurator"),
        ("request_explanation", "fc-procurator"),
    ]
    reasons = Referral.objects.get(pk=referral_id).events.values_list("reason", flat=True)
    assert "经复议，维持不予立案决定。" in reasons


def test_withdrawal_proposed_by_the_reviewer_and_approved_by_the_police_head(desk, world):
    """MPS rules art. 187: the case department reports the withdrawal, the police head
    approves it; the withdrawal notice (art. 189) is issued with the head's step."""
    world.t = now() - timedelta(hours=12)
    referral_id = world.reach(S.FILED).pk

    desk.login("fc-police_reviewer")
    desk.go("referral_detail", referral_id, step="reviewer-case-page")
    desk.take_step("提出撤销案件意见", reason="经侦查，涉案食品经复检合格，不应追究刑事责任。")
    desk.expect_status("已提出撤销案件意见，待公安机关负责人批准")
    expect(desk.page.get_by_test_id("documents")).not_to_contain_text("撤销案件通知书")

    desk.login("fc-police_head")  # the head's task waits in the queue
    desk.open_task(TITLE, "head-withdrawal")
    expect(desk.page.get_by_test_id("proposal")).to_contain_text("不应追究刑事责任")
    desk.take_step("撤销案件", reason="同意撤销案件。")
    desk.expect_status("已撤销案件")
    expect(desk.page.get_by_test_id("documents")).to_contain_text("撤销案件通知书")
    assert steps_taken(referral_id)[-2:] == [
        ("propose_withdrawal", "fc-police_reviewer"),
        ("withdraw_case", "fc-police_head"),
    ]


def test_documents_signed_for_on_the_case_page_start_their_periods(desk, world):
    """The police sign for the transfer letter on the case page (that is their sign_receipt);
    the agency's 3-day reconsideration window starts only when its officer signs for the
    non-filing notice (《行政执法机关移送涉嫌犯罪案件的规定》第九条)."""
    world.t = now() - timedelta(hours=12)
    world.sign_at_once = False  # the officers sign on the page here
    referral_id = world.reach(S.TRANSFERRED_AWAITING_RECEIPT).pk
    referral = Referral.objects.get(pk=referral_id)
    letter = referral.documents.get(doc_type="transfer_letter")

    desk.login("fc-police_intake")
    desk.go("referral_detail", referral_id, step="intake-case-page")
    documents = desk.page.get_by_test_id("documents")
    expect(documents.get_by_test_id(f"unreceived-{letter.pk}")).to_have_text("已送达未签收")
    # Signed for with the receipt step and its checklist (Decree 310 art. 6), not from the list.
    expect(documents.get_by_test_id(f"sign-{letter.pk}")).to_have_count(0)
    desk.act("intake-receipt", "签收回执", "公安机关已受理")
    expect(
        desk.page.get_by_test_id("documents").get_by_test_id(f"received-{letter.pk}")
    ).to_have_text("已签收")

    desk.act("intake-accept", "受理审查", "公安机关审查中")
    desk.login("fc-police_reviewer")
    desk.act(
        "reviewer-propose-non-filing",
        "提出不予立案意见",
        "已提出不予立案意见，待公安机关负责人批准",
        reason="现有证据不足以证明达到追诉标准。",
    )
    desk.login("fc-police_head")
    desk.act("head-decline", "批准不予立案", "不予立案", reason="同意不予立案。")
    notice = referral.documents.get(doc_type="non_filing_notice")
    assert not referral.clocks.filter(rule="reconsideration_window").exists()

    desk.login("fc-case_officer")
    desk.go("referral_detail", referral_id, step="officer-case-page")
    documents = desk.page.get_by_test_id("documents")
    expect(documents.get_by_test_id(f"unreceived-{notice.pk}")).to_have_text("已送达未签收")
    desk.submit(
        documents.get_by_test_id(f"sign-{notice.pk}").get_by_role("button", name="签收"),
        "officer-signed-notice",
    )
    desk.expect_message("已签收。")
    window = referral.clocks.get(rule="reconsideration_window")
    record = notice.service
    record.refresh_from_db()
    assert window.started_at == record.received_at
    assert window.started_at > notice.issued_at
    assert record.recorded_by.username == "fc-case_officer"
    expect(desk.page.get_by_test_id("clocks")).to_contain_text("提请复议")


def test_the_pages_keep_their_content_security_policy(browser_page: Page, live_server):
    """Issue 10: the verify page (public) loads with no violation, and the console listener the
    other browser tests rely on does see one when an inline style or script is forced in."""
    page = browser_page
    page.goto(live_server.url + reverse("referral:verify_form"))
    expect(page.locator("h1")).to_be_visible()
    assert page.csp_violations == []
    page.evaluate(
        """() => {
        const style = document.createElement("style");
        style.textContent = "body { color: red; }";
        document.head.appendChild(style);
        const script = document.createElement("script");
        script.textContent = "window.injected = true;";
        document.head.appendChild(script);
    }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.injected === undefined")  # the script never ran
    assert len(page.csp_violations) == 2
    page.csp_violations.clear()  # the fixture fails a test on any violation left
