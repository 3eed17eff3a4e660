from fengqing.commands import FengqingCommand
from fengqing.workbook.template import write_template


class Command(FengqingCommand):
    help = "写出空白的交换格式工作簿（含下拉列表和填表说明）"
    uses_database = False

    def add_arguments(self, parser):
        parser.add_argument("file", help="要写出的 .xlsx 文件")

    def handle(self, *args, file, **options):
        write_template(file)
        self.stdout.write(f"已写出空白工作簿：{file}")
