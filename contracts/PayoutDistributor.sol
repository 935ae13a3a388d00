// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title Pays storage node operators what a satellite's ledger owes them
/// @notice Per closed payout period the owner (the satellite's payer) publishes one Merkle root
/// over (wallet, cumulative amount) leaves, built as OpenZeppelin's StandardMerkleTree builds them,
/// and in the same transaction funds the contract up to the tree's total. A claim pays the
/// cumulative amount minus what the wallet was already paid: no claim pays twice, whatever is
/// retried, and a claim under an older root pays at most what that root owed. Anyone may submit a
/// claim (it always pays the leaf's wallet), so the satellite pushes claims for nodes that hold no
/// ETH, and a node the satellite does not push claims by itself.
contract PayoutDistributor is Ownable {
    using SafeERC20 for IERC20;

    IERC20 public immutable token;
    /// The block this contract was created in: where a reader starts looking for its events.
    uint256 public immutable deployedAt;
    /// The owner it was created with, and the CREATE2 salt it was created under (through the
    /// deterministic deployer at 0x4e59b448...): from these a reader recomputes its address, which
    /// proves this contract ran this constructor and no other (its storage is this code's doing).
    address public immutable initialOwner;
    bytes32 public immutable deploySalt;
    /// The latest published period (periods are published in increasing order, gaps allowed).
    uint256 public lastPeriod;
    /// The root of each published period.
    mapping(uint256 period => bytes32 root) public roots;
    /// The sum of the cumulative amounts of the latest root: what the contract has been funded with.
    uint256 public funded;
    /// What each wallet has been paid.
    mapping(address wallet => uint256 amount) public claimed;

    event RootPublished(uint256 indexed period, bytes32 root, uint256 total, uint256 added);
    event Claimed(address indexed wallet, uint256 indexed period, uint256 amount, uint256 cumulative);
    /// A pushed claim whose transfer the token refused (the zero address, a blocklisted wallet):
    /// skipped, nothing marked paid, the rest of the batch goes on.
    event ClaimFailed(address indexed wallet, uint256 indexed period, uint256 cumulative);

    error PeriodNotAfterLast(uint256 period, uint256 lastPeriod);
    error EmptyRoot();
    error TotalDecreased(uint256 total, uint256 funded);
    error UnknownPeriod(uint256 period);
    error InvalidProof(address wallet, uint256 cumulative);
    error NothingToClaim(address wallet, uint256 cumulative, uint256 claimed);
    error LengthMismatch();
    /// The token delivered less than was sent (a fee on transfer): the funding would fall short.
    error FundingShort(uint256 sent, uint256 received);

    constructor(IERC20 token_, address owner, bytes32 salt) Ownable(owner) {
        token = token_;
        deployedAt = block.number;
        initialOwner = owner;
        deploySalt = salt;
    }

    /// Publishes `period`'s root over leaves whose amounts sum to `total` and pulls
    /// `total - funded` tokens from the owner (who has approved this contract).
    function publish(uint256 period, bytes32 root, uint256 total) external onlyOwner {
        if (period <= lastPeriod) revert PeriodNotAfterLast(period, lastPeriod);
        if (root == bytes32(0)) revert EmptyRoot();
        if (total < funded) revert TotalDecreased(total, funded);
        uint256 added = total - funded;
        lastPeriod = period;
        roots[period] = root;
        funded = total;
        if (added > 0) {
            // Counted as received, not as sent: a token that takes a fee on transfer would leave
            // the last claims of every period unpaid.
            uint256 before = token.balanceOf(address(this));
            token.safeTransferFrom(msg.sender, address(this), added);
            uint256 received = token.balanceOf(address(this)) - before;
            if (received != added) revert FundingShort(added, received);
        }
        emit RootPublished(period, root, total, added);
    }

    /// Pays `wallet` its cumulative amount under `period`'s root less what it was already paid.
    /// Reverts when the proof is wrong or nothing is left to pay.
    function claim(uint256 period, address wallet, uint256 cumulative, bytes32[] calldata proof) external {
        _verify(period, wallet, cumulative, proof);
        uint256 paid = claimed[wallet];
        if (cumulative <= paid) revert NothingToClaim(wallet, cumulative, paid);
        _pay(period, wallet, cumulative, paid);
    }

    /// The satellite's push: claims for many wallets under one root. A wrong proof reverts the
    /// whole batch; a wallet already paid is skipped, so a retried batch pays no one twice; a
    /// wallet the token refuses to pay is skipped (ClaimFailed), so one such wallet cannot stop
    /// everyone's payouts. Returns how many wallets were paid.
    function claimMany(uint256 period, address[] calldata wallets, uint256[] calldata cumulatives, bytes32[][] calldata proofs)
        external
        returns (uint256 paidCount)
    {
        if (wallets.length != cumulatives.length || wallets.length != proofs.length) revert LengthMismatch();
        for (uint256 i = 0; i < wallets.length; i++) {
            _verify(period, wallets[i], cumulatives[i], proofs[i]);
            uint256 paid = claimed[wallets[i]];
            if (cumulatives[i] <= paid) continue;
            claimed[wallets[i]] = cumulatives[i];
            if (token.trySafeTransfer(wallets[i], cumulatives[i] - paid)) {
                emit Claimed(wallets[i], period, cumulatives[i] - paid, cumulatives[i]);
                paidCount++;
            } else {
                claimed[wallets[i]] = paid;
                emit ClaimFailed(wallets[i], period, cumulatives[i]);
            }
        }
    }

    function _verify(uint256 period, address wallet, uint256 cumulative, bytes32[] calldata proof) private view {
        bytes32 root = roots[period];
        if (root == bytes32(0)) revert UnknownPeriod(period);
        bytes32 leaf = keccak256(bytes.concat(keccak256(abi.encode(wallet, cumulative))));
        if (!MerkleProof.verifyCalldata(proof, root, leaf)) revert InvalidProof(wallet, cumulative);
    }

    function _pay(uint256 period, address wallet, uint256 cumulative, uint256 paid) private {
        claimed[wallet] = cumulative;
        token.safeTransfer(wallet, cumulative - paid);
        emit Claimed(wallet, period, cumulative - paid, cumulative);
    }
}
