"""Lists the statutory document types, or renders one from demo data without issuing it."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from referral.documents import render, sample
from referral.documents.types import DOCUMENT_TYPES
from referral.timeutil import now

SAMPLE_CODE = "SAMPLE"
SAMPLE_VERIFY_TEXT = "样本文书，未经签发，不可核验"


class Command(BaseCommand):
    help = (
        "List the document types (--list) or render one from the demo fixtures as a sample "
        "(--sample TYPE -o OUT.pdf): watermarked, numbered outside the real sequence, "
        "nothing written to the database."
    )

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--list", action="store_true", help="list the document types")
        group.add_argument("--sample", metavar="TYPE", help="render a sample of TYPE")
        parser.add_argument("-o", "--output", metavar="OUT.pdf", help="where to write the PDF")

    def handle(self, *args, **options):
        if options["list"]:
            for doc in DOCUMENT_TYPES.values():
                self.stdout.write(f"{doc.code:<28} {doc.title}")
            return
        doc_type = options["sample"]
        if doc_type not in DOCUMENT_TYPES:
            raise CommandError(
                f"Unknown document type “{doc_type}”; one of: {', '.join(DOCUMENT_TYPES)}."
            )
        if not options["output"]:
            raise CommandError("Give the output file: -o OUT.pdf")
        at = now()
        case = sample.sample_owner(doc_type, at=at)
        report = render.render_document_report(
            doc_type,
            case,
            number=render.sample_number(doc_type, case, at.year),
            issued_at=at,
            verification_code=SAMPLE_CODE,
            verify_url=SAMPLE_VERIFY_TEXT,
            sample=True,
        )
        out = Path(options["output"])
        out.write_bytes(report.pdf)
        title = DOCUMENT_TYPES[doc_type].title
        self.stdout.write(
            f"{out}: {title}（样本）, {report.pages} page(s), {len(report.pdf):,} bytes, "
            f"from demo case “{case.title}”."
        )
