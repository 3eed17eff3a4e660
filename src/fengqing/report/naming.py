"""What a unit's names are made of: the organ word (局, 委 …), the domain word (水务), the region (河川市) and the
kind of Party body (党组, 党委 …). The sentences use them (驻局纪检监察组) and redaction masks them."""

from __future__ import annotations

from dataclasses import dataclass

from ..org.models import Unit

ORGAN_SUFFIXES = ("委员会", "办公室", "中心", "集团", "公司", "局", "委", "办", "厅", "院", "馆", "部", "署", "所",
                  "站", "处", "社", "会")
_ORGAN_SHORT = {"委员会": "委", "办公室": "办"}
PARTY_BODIES = ("党工委", "党总支", "党支部", "党组", "党委")
REGION_SUFFIXES = ("自治州", "自治县", "省", "市", "县", "区", "州", "盟", "旗")


@dataclass(frozen=True)
class UnitNames:
    organ: str  # 局; empty when the short name ends in no known organ word
    domain: str  # 水务
    region: str  # 河川市; empty when the full name is not region + short name
    party_body: str  # 党组

    @property
    def discipline_group(self) -> str:
        return f"驻{_ORGAN_SHORT.get(self.organ, self.organ)}纪检监察组" if self.organ else "派驻纪检监察组"


def unit_names(unit: Unit) -> UnitNames:
    short = unit.short_name
    organ = next((s for s in ORGAN_SUFFIXES if short.endswith(s) and len(short) > len(s)), "")
    domain = short[:len(short) - len(organ)] if organ else short
    region = unit.name[:-len(short)] if unit.name.endswith(short) and unit.name != short else ""
    party_body = next((b for b in PARTY_BODIES if unit.party_org_name.endswith(b)), "党组织")
    return UnitNames(organ, domain, region, party_body)
