from tests.conftest import login


def test_login_and_every_register_lists(client, users):
    login(client, "owner")
    from domain.registers import REGISTERS
    for reg in REGISTERS:
        r = client.get(f"/admin/{reg.endpoint}/")
        assert r.status_code == 200, (reg.endpoint, r.get_data(as_text=True)[:2000])
        r = client.get(f"/admin/{reg.endpoint}/new/")
        assert r.status_code in (200, 403), reg.endpoint
