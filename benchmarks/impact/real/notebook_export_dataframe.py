#!/usr/bin/env python
# coding: utf-8

# # Taxi trips with Dask DataFrame
#
# We make a synthetic table of trips, then look at fares by vendor and by the
# number of passengers.

# In[1]:


import hashlib

import numpy as np
import pandas as pd
import dask.dataframe as dd


# In[2]:


rng = np.random.default_rng(0)
n = 400_000
pdf = pd.DataFrame(
    {
        "vendor": rng.integers(0, 4, n),
        "passengers": rng.integers(1, 7, n),
        "distance": rng.gamma(2.0, 1.5, n).round(2),
    }
)
pdf["fare"] = (2.5 + 1.8 * pdf.distance + rng.normal(0, 0.5, n)).round(2)
df = dd.from_pandas(pdf, npartitions=8)
df.head()


# In[3]:


len(df)


# In[4]:


mean_fare = df.fare.mean().compute()
mean_fare


# In[5]:


per_vendor = {}
for vendor in range(4):
    trips = df[df.vendor == vendor]
    per_vendor[vendor] = (trips.fare.mean().compute(), trips.distance.max().compute())
    print(vendor, per_vendor[vendor])


# In[6]:


by_passengers = df.groupby("passengers").fare.agg(["mean", "count"]).compute()
by_passengers


# In[7]:


summary = [round(float(mean_fare), 6)]
summary += [(v, round(float(m), 6), float(d)) for v, (m, d) in sorted(per_vendor.items())]
summary += [round(float(x), 6) for x in by_passengers.sort_index().to_numpy().ravel()]
print("checksum:", hashlib.sha256(repr(summary).encode()).hexdigest()[:16])
