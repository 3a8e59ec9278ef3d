"""The shopper's API (/api/v1/shop/): basket, checkout, orders, warranty claims (issue 17
point 2). Thin views on the services and Oscar rules the site uses: Oscar's basket forms
(stock and availability), vendors.services (installation, delivery promises, placing an
order split per vendor), the site's checkout view (payment methods, payment records)."""
