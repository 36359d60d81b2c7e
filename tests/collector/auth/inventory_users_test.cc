// Inventory users: the salted slow hash, their records across a restart,
// and Lookup/Verify as the inventory listener uses them (what is answered from
// memory, what must be hashed, and revocation at once).
#include "collector/auth/inventory_users.h"

#include <gtest/gtest.h>

#include "collector/auth/password_hash.h"
#include "collector/store/records.h"
#include "estate/logging.h"
#include "tests/collector/temp_dir.h"

namespace estate::collector {
namespace {

using Verdict = InventoryUsers::Verdict;
using Clock = InventoryUsers::Clock;

TEST(PasswordHash, MatchesOnlyItsPasswordAndSaltsEachHash) {
  auto a = HashPassword("correct horse battery", 1000);
  auto b = HashPassword("correct horse battery", 1000);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->hash.size(), 32u);
  EXPECT_NE(a->salt, b->salt);
  EXPECT_NE(a->hash, b->hash);  // same password, another salt
  EXPECT_TRUE(PasswordMatches(*a, "correct horse battery"));
  EXPECT_FALSE(PasswordMatches(*a, "correct horse batterY"));
  EXPECT_FALSE(PasswordMatches(*a, ""));
  PasswordHash broken = *a;
  broken.iterations = 0;
  EXPECT_FALSE(PasswordMatches(broken, "correct horse battery"));
}

TEST(InventoryUserNames, AllowWhatBasicAuthCarries) {
  EXPECT_TRUE(CheckInventoryUserName("paris-office_2@corp.example").ok());
  EXPECT_FALSE(CheckInventoryUserName("").ok());
  EXPECT_FALSE(CheckInventoryUserName("a:b").ok());  // basic auth splits on ':'
  EXPECT_FALSE(CheckInventoryUserName("-rf").ok());
  EXPECT_FALSE(CheckInventoryUserName(std::string(65, 'a')).ok());
  EXPECT_FALSE(CheckInventoryPassword("short").ok());
  EXPECT_FALSE(CheckInventoryPassword("twelve chars\n").ok());
  EXPECT_TRUE(CheckInventoryPassword("twelve chars").ok());
}

class InventoryUsersTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  void TearDown() override { Close(); }

  void Open() {
    auto store = Store::Open({dir_.path() + "/db"});
    ASSERT_TRUE(store.ok());
    store_ = std::move(*store);
    ingestor_ = std::make_unique<Ingestor>(*store_, GetLogger("test.ingest"));
    ASSERT_TRUE(ingestor_->Start().ok());
    auto users = InventoryUsers::Open(*store_, *ingestor_, GetLogger("test.auth"));
    ASSERT_TRUE(users.ok()) << users.status().ToString();
    users_ = std::move(*users);
  }
  void Close() {
    users_.reset();
    if (ingestor_) ingestor_->Stop();
    ingestor_.reset();
    store_.reset();
  }

  TempDir dir_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Ingestor> ingestor_;
  std::unique_ptr<InventoryUsers> users_;
};

TEST_F(InventoryUsersTest, KeepsOnlyASaltedHashAndSurvivesARestart) {
  auto generated = users_->Add("paris", "", "user:admin", 1000);
  ASSERT_TRUE(generated.ok()) << generated.status().ToString();
  EXPECT_EQ(generated->size(), 32u);  // 128 random bits, hex
  auto chosen = users_->Add("lyon", "a chosen password", "user:admin", 1001);
  ASSERT_TRUE(chosen.ok());
  EXPECT_TRUE(chosen->empty());  // nothing to show: the admin chose it
  EXPECT_EQ(users_->Add("paris", "", "user:admin", 1002).status().code(),
            Status::Code::kAlreadyExists);

  auto stored = GetRecord<v1::InventoryUser>(*store_, Table::kNodes, InventoryUserKey("lyon"));
  ASSERT_TRUE(stored.ok() && stored->has_value());
  const std::string bytes = (*stored)->SerializeAsString();
  EXPECT_EQ(bytes.find("a chosen password"), std::string::npos);
  EXPECT_EQ((*stored)->pbkdf2_sha256().size(), 32u);
  EXPECT_EQ((*stored)->created_by(), "user:admin");

  const auto list = users_->List();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].name(), "lyon");
  EXPECT_TRUE(list[0].pbkdf2_sha256().empty());  // the hash does not leave
  EXPECT_TRUE(list[0].salt().empty());

  Close();
  Open();
  const auto now = Clock::now();
  EXPECT_EQ(users_->Lookup("lyon", "a chosen password", now), Verdict::kUnchecked);
  EXPECT_TRUE(users_->Verify("lyon", "a chosen password", now));
  EXPECT_TRUE(users_->Verify("paris", *generated, now));
}

TEST_F(InventoryUsersTest, AnswersRepeatsFromMemoryAndRevocationAtOnce) {
  ASSERT_TRUE(users_->Add("paris", "the right password", "user:admin", 1000).ok());
  const auto now = Clock::now();
  // Unknown names cost no hashing.
  EXPECT_EQ(users_->Lookup("nobody", "whatever password", now), Verdict::kRefused);
  EXPECT_EQ(users_->Lookup("paris", "the right password", now), Verdict::kUnchecked);
  ASSERT_TRUE(users_->Verify("paris", "the right password", now));
  EXPECT_EQ(users_->Lookup("paris", "the right password", now), Verdict::kAccepted);
  // Another password is still checked, and a refused one remembered for a while.
  EXPECT_EQ(users_->Lookup("paris", "the wrong password", now), Verdict::kUnchecked);
  EXPECT_FALSE(users_->Verify("paris", "the wrong password", now));
  EXPECT_EQ(users_->Lookup("paris", "the wrong password", now), Verdict::kRefused);
  EXPECT_EQ(users_->Lookup("paris", "the wrong password", now + std::chrono::minutes(2)),
            Verdict::kUnchecked);
  // A verified password is not remembered forever.
  EXPECT_EQ(users_->Lookup("paris", "the right password", now + std::chrono::minutes(11)),
            Verdict::kUnchecked);

  ASSERT_TRUE(users_->Revoke("paris", "user:admin", 2000).ok());
  EXPECT_EQ(users_->Lookup("paris", "the right password", now), Verdict::kRefused);
  EXPECT_FALSE(users_->Verify("paris", "the right password", now));
  EXPECT_EQ(users_->Revoke("nobody", "user:admin", 2000).code(), Status::Code::kNotFound);
  auto stored = GetRecord<v1::InventoryUser>(*store_, Table::kNodes, InventoryUserKey("paris"));
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ((*stored)->revoked_at(), 2000);
  EXPECT_EQ((*stored)->revoked_by(), "user:admin");

  // Added again, with a new password: the old one stays refused.
  ASSERT_TRUE(users_->Add("paris", "a brand new password", "user:admin", 3000).ok());
  EXPECT_FALSE(users_->Verify("paris", "the right password", now + std::chrono::minutes(2)));
  EXPECT_TRUE(users_->Verify("paris", "a brand new password", now));
}

}  // namespace
}  // namespace estate::collector
